/**
 * The case system refusing a PEP write (400/422: a field it will not take; 409: the PEP is not
 * in a state for this change, e.g. no longer a draft, or changed since it was read) reaches the
 * caller as BAD_USER_INPUT saying which, in the graph's field names. Only the system's own
 * list of field names and its error code are used, never its text (which could echo values).
 */
import { ErrorCode, PublicError } from '../../../lib/errors';
import { UpstreamRejectedError } from '../../../upstream/common/http-client';
import type { ScPepConflictCode } from '../../../upstream/social-care/contract';

/** The case system's names that are not simply ours in capitals. */
const RENAMED: Record<string, string> = {
  PP_PLUS_REQUEST_PENCE: 'pupilPremiumPlusRequestedPence',
  TARGET_ID: 'id',
};

/** `TARGETS[0].SUCCESS_MEASURE` (or `TARGETS.0.SUCCESS_MEASURE`) -> `targets[0].successMeasure`. */
export function graphFieldName(field: string): string {
  return field
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]')
    .split('.')
    .map((part) => {
      const [name = '', index = ''] = part.split(/(?=\[)/);
      const renamed =
        RENAMED[name] ??
        name.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
      return `${renamed}${index}`;
    })
    .join('.')
    .replace(/^reviews(\[\d+\])\.id$/, 'reviews$1.targetId');
}

/** What a 409 means to someone filling in a PEP, by the case system's code (ScPepConflictCode). */
const CONFLICTS: Record<ScPepConflictCode, string> = {
  NOT_DRAFT: 'this PEP is no longer a draft, so it cannot be changed this way',
  STALE_VERSION: 'the draft was changed since you read it: read it again and reapply your change',
  NOT_COMPLETE: 'only a completed PEP can be quality-assured or have its targets reviewed',
  INCOMPLETE:
    'a PEP is completed only with an attendee, a target and the child’s views (or why not)',
  NOT_LOOKED_AFTER: 'the child is not looked after now',
  ALREADY_COMPLETE: 'this PEP was already completed with a different sign-off',
};
const CONFLICT =
  'the PEP is not in a state for this change (no longer a draft, changed since it was read, ' +
  'or not yet complete): read it again';

function toPublic(error: UpstreamRejectedError): PublicError {
  if (error.status === 409) {
    const code = error.code;
    const why =
      code && Object.hasOwn(CONFLICTS, code) ? CONFLICTS[code as ScPepConflictCode] : CONFLICT;
    return new PublicError(ErrorCode.BAD_USER_INPUT, `The change was refused: ${why}.`);
  }
  const fields = [...new Set((error.fields ?? []).map(graphFieldName))];
  return new PublicError(
    ErrorCode.BAD_USER_INPUT,
    fields.length > 0
      ? `The case system refused the input: ${fields.map((field) => `\`${field}\``).join(', ')}.`
      : 'The case system refused the input.',
  );
}

/** Runs a write; a refusal by the case system becomes the caller's BAD_USER_INPUT. */
export async function rejectedByCaseSystem<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UpstreamRejectedError) throw toPublic(error);
    throw error;
  }
}
