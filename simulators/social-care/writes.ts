/**
 * The social care system's write routes, as a case worker records them: a placement move,
 * leaving care, a new period of care, a PEP meeting. Each changes the store so the read routes
 * show it (episodes, the current episode the searches filter on, PEPs) and appends to the
 * change feed; a write that changes nothing (the same PEP twice) logs nothing. Every check
 * runs before anything is changed.
 */
import type {
  ScChange,
  ScChild,
  ScEnterCare,
  ScEpisode,
  ScLeaveCare,
  ScPep,
  ScPepPost,
  ScPlacementMove,
  ScWriteResult,
} from '../../upstream/social-care/contract';
import { ChangeLog, latestToday } from '../common/change-log';
import { badRequest, notFound } from '../common/errors';
import type { SocialCareStore } from './store';

function invalid(field: string, message: string) {
  return badRequest(`Invalid body: ${field}: ${message}`);
}

export class SocialCareWrites {
  readonly log = new ChangeLog<ScChange>();
  private pepCount = 0;

  constructor(
    private readonly store: SocialCareStore,
    private readonly asOf: string,
  ) {}

  /** A move to a new placement: the current episode ends (X1), a new one (RNE P) begins. */
  movePlacement(id: string | undefined, body: ScPlacementMove): ScWriteResult<ScEpisode> {
    const child = this.child(id);
    const open = this.openEpisode(child);
    this.notFuture('DECOM', body.DECOM);
    if (body.DECOM <= open.DECOM) {
      throw invalid('DECOM', `must be after the current episode's start (${open.DECOM})`);
    }
    const ended: ScEpisode = {
      ...open,
      DEC: body.DECOM,
      REC: 'X1',
      REASON_PLACE_CHANGE: body.REASON_PLACE_CHANGE,
    };
    const started: ScEpisode = {
      ...open,
      DECOM: body.DECOM,
      RNE: 'P',
      PLACE: body.PLACE,
      PLACE_PROVIDER: body.PLACE_PROVIDER,
      PL_LA: body.PL_LA,
      DEC: null,
      REC: null,
      REASON_PLACE_CHANGE: null,
      // Where the new placement is, the case system has yet to record.
      PL_POST: null,
      URN: null,
    };
    this.replaceEpisode(child, open, ended, started);
    const changes = this.log.append(
      { kind: 'placement', record: ended },
      { kind: 'placement', record: started },
    );
    return { data: started, meta: { changes } };
  }

  /** Care ceases on DEC: the current episode ends with the reason. */
  leaveCare(id: string | undefined, body: ScLeaveCare): ScWriteResult<ScEpisode> {
    const child = this.child(id);
    const open = this.openEpisode(child);
    this.notFuture('DEC', body.DEC);
    if (body.DEC < open.DECOM) {
      throw invalid('DEC', `must not be before the current episode's start (${open.DECOM})`);
    }
    const ended: ScEpisode = { ...open, DEC: body.DEC, REC: body.REC };
    this.replaceEpisode(child, open, ended);
    const changes = this.log.append({
      kind: 'period_of_care',
      record: { CHILD: child.CHILD, started: null, ended },
    });
    return { data: ended, meta: { changes } };
  }

  /** A new period of care (RNE S) for a child not looked after now. */
  enterCare(id: string | undefined, body: ScEnterCare): ScWriteResult<ScEpisode> {
    const child = this.child(id);
    if (this.store.currentEpisode(child.CHILD)) {
      throw badRequest(`Child ${child.CHILD} is looked after already`);
    }
    this.notFuture('DECOM', body.DECOM);
    const episodes = this.store.episodes(child.CHILD);
    const last = episodes[episodes.length - 1];
    if (last && body.DECOM <= last.DECOM) {
      throw invalid('DECOM', `must be after the latest episode's start (${last.DECOM})`);
    }
    if (last?.DEC && body.DECOM < last.DEC) {
      throw invalid('DECOM', `must not be before the latest period of care ended (${last.DEC})`);
    }
    const started: ScEpisode = {
      CHILD: child.CHILD,
      DECOM: body.DECOM,
      RNE: 'S',
      LS: body.LS,
      CIN: body.CIN,
      PLACE: body.PLACE,
      PLACE_PROVIDER: body.PLACE_PROVIDER,
      DEC: null,
      REC: null,
      REASON_PLACE_CHANGE: null,
      HOME_POST: last?.HOME_POST ?? null,
      PL_POST: null,
      URN: null,
      PL_LA: body.PL_LA,
    };
    this.store.setEpisodes(child.CHILD, [...episodes, started], this.today());
    const changes = this.log.append({
      kind: 'period_of_care',
      record: { CHILD: child.CHILD, started, ended: null },
    });
    return { data: started, meta: { changes } };
  }

  /**
   * A PEP meeting: a new PEP, or the status (and school) of the child's PEP on that date
   * changed; the same again changes nothing. INITIAL when it is the first of this period of
   * care.
   */
  recordPep(id: string | undefined, body: ScPepPost): ScWriteResult<ScPep> {
    const child = this.child(id);
    this.openEpisode(child);
    if (body.STATUS !== 'DRAFT') this.notFuture('MEETING_DATE', body.MEETING_DATE);
    const peps = this.store.peps(child.CHILD);
    const held = peps.find((p) => p.MEETING_DATE === body.MEETING_DATE);
    if (held && held.STATUS === body.STATUS && held.SCHOOL_URN === body.SCHOOL_URN) {
      return { data: held, meta: { changes: [] } };
    }
    let pep: ScPep;
    if (held) {
      pep = { ...held, STATUS: body.STATUS, SCHOOL_URN: body.SCHOOL_URN };
    } else {
      const periodStart = this.periodStart(child);
      pep = {
        PEP_ID: this.newPepId(),
        CHILD: child.CHILD,
        MEETING_DATE: body.MEETING_DATE,
        INITIAL: !peps.some((p) => p.MEETING_DATE >= periodStart),
        STATUS: body.STATUS,
        SCHOOL_URN: body.SCHOOL_URN,
        CHILD_VIEWS: null,
        SUPPORT_STRATEGIES: [],
        TARGETS: [],
        ATTENDEES: [],
        STRENGTHS: null,
        BARRIERS: null,
        SIGN_OFF: [],
        QA: null,
        VERSION: 1,
        COMPLETED_ON: null,
      };
    }
    const next = [...peps.filter((p) => p !== held), pep].sort((a, b) =>
      a.MEETING_DATE.localeCompare(b.MEETING_DATE),
    );
    this.store.setPeps(child.CHILD, next, this.today());
    return { data: pep, meta: { changes: this.log.append({ kind: 'pep', record: pep }) } };
  }

  /** A PEP id no seeded or written PEP has: `PEP-W00001` on. */
  newPepId(): string {
    this.pepCount += 1;
    return `PEP-W${String(this.pepCount).padStart(5, '0')}`;
  }

  private child(id: string | undefined): ScChild {
    const child = this.store.child(id ?? '');
    if (!child) throw notFound(`No child ${id}`);
    return child;
  }

  private openEpisode(child: ScChild): ScEpisode {
    const open = this.store.currentEpisode(child.CHILD);
    if (!open) throw badRequest(`Child ${child.CHILD} is not looked after now`);
    return open;
  }

  private notFuture(field: string, date: string): void {
    if (date > this.today()) throw invalid(field, 'must not be in the future');
  }

  private today(): string {
    return latestToday(this.asOf);
  }

  /** The start of the child's current period of care: its latest episode begun by S. */
  private periodStart(child: ScChild): string {
    const episodes = this.store.episodes(child.CHILD);
    const first = [...episodes].reverse().find((e) => e.RNE === 'S') ?? episodes[0];
    return first?.DECOM ?? '';
  }

  private replaceEpisode(child: ScChild, old: ScEpisode, ...next: ScEpisode[]): void {
    const episodes = this.store
      .episodes(child.CHILD)
      .flatMap((e) => (e === old ? next : [e]))
      .sort((a, b) => a.DECOM.localeCompare(b.DECOM));
    this.store.setEpisodes(child.CHILD, episodes, this.today());
  }
}
