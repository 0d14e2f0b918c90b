/**
 * Keeping the register current. The education system owns the entry (domain.md: "the
 * education system holds each school's DT, as the LA maintains it"), so the change is written
 * back there, idempotently; CLA Graph keeps the history (who, when, before and after), which
 * that system does not. Order: check the input, check who may change this school, read the
 * entry, write it, then record the history. If the history cannot be written the change is
 * put back (best effort) and the caller told it failed: no change without its history.
 */
import type { Caller } from '../../../identity/caller';
import { ErrorCode, PublicError, badUserInput, forbidden } from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import type {
  EdDesignatedTeacher,
  EdDesignatedTeacherPut,
} from '../../../upstream/education/contract';
import type { DesignatedTeacherDetails as HistoryDetails } from '../../../stores/designated-teachers/types';
import type { EducationContext } from '../resolvers';
import { toEntry, type RegisterEntryShape } from './entries';
import { parseUpdateInput, type RawUpdateInput, type UpdateInput } from './input';

export interface DesignatedTeacherUpdateShape {
  entry: RegisterEntryShape;
  changed: boolean;
}

/** The designated teacher of the school (by their token's `urn` claim), or the head: any. */
export function mayUpdate(caller: Caller, urn: string): boolean {
  if (caller.roles.includes('virtual-school-head')) return true;
  return caller.roles.includes('designated-teacher') && caller.urns.includes(urn);
}

const DETAIL_FIELDS = ['title', 'forename', 'surname', 'job_title', 'email', 'phone'] as const;

function detailsDiffer(a: EdDesignatedTeacher, b: EdDesignatedTeacher): boolean {
  return DETAIL_FIELDS.some((field) => a[field] !== b[field]);
}

function forHistory(teacher: EdDesignatedTeacher): HistoryDetails {
  return {
    title: teacher.title,
    forename: teacher.forename,
    surname: teacher.surname,
    jobTitle: teacher.job_title,
    workEmail: teacher.email,
    workPhone: teacher.phone,
    confirmedOn: teacher.confirmed_on,
  };
}

function asPut(teacher: EdDesignatedTeacher): EdDesignatedTeacherPut {
  return {
    title: teacher.title,
    forename: teacher.forename,
    surname: teacher.surname,
    job_title: teacher.job_title,
    email: teacher.email,
    phone: teacher.phone,
    confirmed_on: teacher.confirmed_on,
  };
}

/** The entry the caller asked for: new details (or the current ones) and the confirmed date. */
function desiredEntry(
  input: UpdateInput,
  current: EdDesignatedTeacher | null,
  today: string,
): EdDesignatedTeacherPut {
  const details = input.details;
  if (details === null && current === null) {
    throw badUserInput(
      'This school has no designated teacher on record to confirm: give the `designatedTeacher` details.',
    );
  }
  return {
    ...(details
      ? {
          title: details.title,
          forename: details.forename,
          surname: details.surname,
          job_title: details.jobTitle,
          email: details.workEmail,
          phone: details.workPhone,
        }
      : asPut(current!)),
    // A new entry counts as confirmed the day it is made.
    confirmed_on: input.confirm || current === null ? today : current.confirmed_on,
  };
}

export async function updateDesignatedTeacher(
  _parent: unknown,
  args: { input: RawUpdateInput },
  context: EducationContext,
): Promise<DesignatedTeacherUpdateShape> {
  const caller = context.auth.caller;
  // The shield lets only the head and designated teachers through; checked again here.
  if (!caller) throw forbidden();
  const input = parseUpdateInput(args.input ?? {});
  if (!mayUpdate(caller, input.urn)) {
    throw forbidden("A designated teacher may update only their own school's entry.");
  }
  const { client, history, clock, laCode } = context.register.deps;
  const [school, current] = await Promise.all([
    context.loaders.school.load(input.urn),
    context.loaders.designatedTeacher.load(input.urn),
  ]);
  if (!school) throw new PublicError(ErrorCode.NOT_FOUND, 'No school with this URN.');
  const desired = desiredEntry(input, current, clock());

  const result = await client.putDesignatedTeacher(input.urn, desired);
  if (!result) throw new PublicError(ErrorCode.NOT_FOUND, 'No school with this URN.');
  const { data, meta } = result;
  context.register.recordRead();
  const previous = meta.previous;
  const detailsChanged = previous === null || detailsDiffer(previous, data);
  const dateMoved = previous === null || previous.confirmed_on !== data.confirmed_on;
  // Nothing the register shows changed: a repeat (at most the staff record link moved).
  if (!meta.changed || !(detailsChanged || dateMoved)) {
    return { entry: toEntry(school, data, laCode), changed: false };
  }

  try {
    await history.record({
      urn: input.urn,
      actorSub: caller.sub,
      actorRoles: caller.roles,
      requestId: context.auth.requestId,
      detailsChanged,
      // The confirmed date moves only on a confirmation or a new entry.
      confirmed: input.confirm || previous === null,
      before: previous ? forHistory(previous) : null,
      after: forHistory(data),
    });
  } catch (error) {
    await putBack(context, input.urn, previous);
    logger.error('designated teacher history not written: change put back', {
      urn: input.urn,
      kind: error instanceof Error ? error.constructor.name : typeof error,
    });
    throw new PublicError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      'The change could not be recorded, so it was not kept; try again later.',
    );
  }
  return { entry: toEntry(school, data, laCode), changed: true };
}

/** Restores the entry a change replaced (a new entry cannot be taken back: logged). */
async function putBack(
  context: EducationContext,
  urn: string,
  previous: EdDesignatedTeacher | null,
): Promise<void> {
  if (previous === null) {
    logger.error('designated teacher entry kept without history: none to restore', { urn });
    return;
  }
  try {
    await context.register.deps.client.putDesignatedTeacher(urn, asPut(previous));
  } catch {
    logger.error('designated teacher entry kept without history: restore failed', { urn });
  }
}
