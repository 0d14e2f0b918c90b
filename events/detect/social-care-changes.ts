/**
 * Events from the social care system's change feed: a placement move, entering care and
 * leaving care. A placement event names the placement's type, start and whether it is outside
 * the authority, never the carer or the address (ADDRESS is for the head and the social
 * worker only, and an event reaches designated teachers too). PEP changes raise nothing here:
 * PEP deadlines come from the daily sweep.
 */
import type { ScChange } from '../../upstream/social-care/contract';
import type { NewEvent } from '../types';
import type { ChildContext } from './child-context';
import { childEvent } from './event';

/** The child a change is about. */
export const childOfChange = (change: ScChange): string => change.record.CHILD;

export function eventsFromSocialCareChange(
  change: ScChange,
  child: ChildContext | null,
): NewEvent[] {
  if (child === null) return [];
  const occurredAt = change.changed_at;
  const la = child.routing.la;
  switch (change.kind) {
    case 'placement': {
      const episode = change.record;
      // A move logs the episode it ended, then the one it began: the new one is the event.
      if (episode.DEC !== null) return [];
      // The reason for the change is on the episode the move ended (903), the one ending that day.
      const ended = (child.record.episodes ?? []).find((e) => e.DEC === episode.DECOM);
      return [
        childEvent('PLACEMENT_MOVE', child, {
          identity: [episode.DECOM],
          occurredAt,
          urn: null,
          facts: {
            startDate: episode.DECOM,
            placementType: episode.PLACE,
            placedOutOfArea: episode.PL_LA !== la,
            reasonForChange: ended?.REASON_PLACE_CHANGE ?? null,
          },
        }),
      ];
    }
    case 'period_of_care': {
      const { started, ended } = change.record;
      const events: NewEvent[] = [];
      if (started) {
        events.push(
          childEvent('ENTERED_CARE', child, {
            identity: [started.DECOM],
            occurredAt,
            urn: null,
            facts: { since: started.DECOM, legalStatus: started.LS },
          }),
        );
      }
      if (ended && ended.DEC) {
        events.push(
          childEvent('LEFT_CARE', child, {
            identity: [ended.DEC],
            occurredAt,
            urn: null,
            facts: { endDate: ended.DEC, reason: ended.REC },
          }),
        );
      }
      return events;
    }
    default:
      return [];
  }
}
