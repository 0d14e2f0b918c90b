/**
 * The five PEP workflow mutations. Each goes the same way, in this order:
 *
 * 1. the shield has let through only a caller with a role that holds the change at all
 *    (lib/authz/changes.ts); checked again here;
 * 2. the input is checked (input.ts) before anything is read or written;
 * 3. the PEP (or for a new draft, the child) is looked up, and the child must be in the scope
 *    of one of the caller's roles that holds the change (roles pair with their own scope). A
 *    child or PEP the caller may not see answers exactly as one that does not exist
 *    (NOT_FOUND, after the same look-ups); one they see but may not change is FORBIDDEN;
 * 4. the change is written to the case system, which owns PEPs (never retried, idempotent);
 * 5. when it changed something, the history row (who, when, before, after) is written to
 *    CLA Graph's store before the answer is given. The case system has no way to take a PEP
 *    change back, so a history that cannot be written is reported as it is: logged (ids
 *    only), and the caller told the change is in the case system but not in the history. A
 *    new draft's history catches up when the caller retries with the same `requestId`.
 *
 * The access log records the child and PEP for every mutation that answered with a PEP.
 */
import type { Role } from '../../../identity/caller';
import { rolesMayChange, type Change } from '../../../lib/authz/changes';
import { ErrorCode, PublicError, forbidden } from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import type { PepAction } from '../../../stores/peps/types';
import type { ScPep } from '../../../upstream/social-care/contract';
import { toPep, type Pep } from '../mapping';
import type { SocialCareContext } from '../resolvers';
import { completePost, draftPost, draftPut, qualityAssurancePost, reviewsPost } from './bodies';
import {
  parseComplete,
  parseCreateDraft,
  parseQualityAssure,
  parseReviewTargets,
  parseUpdateDraft,
} from './input';
import { rejectedByCaseSystem } from './rejections';

export interface PepChangeShape {
  pep: Pep;
  changed: boolean;
}

interface InputArgs {
  input: unknown;
}

/** Who may write a PEP's content, and who may change its status (completion, QA). */
const WRITES_PEP: readonly Change[] = ['PEP'];
const CHANGES_STATUS: readonly Change[] = ['PEP', 'PEP_STATUS'];

/** An id no child has: a PEP that does not exist costs the same look-up as one out of scope. */
const NO_CHILD = '0000000';

const noSuchChild = () => new PublicError(ErrorCode.NOT_FOUND, 'No such child.');
const noSuchPep = () => new PublicError(ErrorCode.NOT_FOUND, 'No such PEP.');

function callerOf(context: SocialCareContext) {
  const caller = context.auth.caller;
  if (!caller) throw forbidden();
  return caller;
}

/**
 * Admits the child for this request and answers whether the caller may make one of `changes`
 * to them: 'absent' (out of scope, restricted, or no such child: the same answer), 'forbidden'
 * (seen, but none of the roles that see them holds the change), or the roles that may.
 */
async function mayChangeChild(
  context: SocialCareContext,
  childId: string | null,
  changes: readonly Change[],
): Promise<'absent' | 'forbidden' | readonly Role[]> {
  const facts = await context.auth.facts.byId.load(childId ?? NO_CHILD);
  const visible = await context.auth.scope.includes(childId === null ? null : facts);
  if (!visible || childId === null) return 'absent';
  const roles = context.auth.scope.rolesOf({ childId });
  return rolesMayChange(roles, ...changes) ? roles : 'forbidden';
}

/** The PEP and its child, when the caller may make one of `changes` to it. */
async function changeablePep(
  context: SocialCareContext,
  pepId: string,
  changes: readonly Change[],
): Promise<ScPep> {
  const pep = await context.client.pep(pepId);
  const verdict = await mayChangeChild(context, pep?.CHILD ?? null, changes);
  if (verdict === 'absent' || !pep) throw noSuchPep();
  if (verdict === 'forbidden') throw forbidden('You may not make this change to this PEP.');
  return pep;
}

/** Writes the history row, or tells the caller honestly that it could not be written. */
async function recordHistory(
  context: SocialCareContext,
  action: PepAction,
  before: ScPep | null,
  after: ScPep,
): Promise<void> {
  const caller = callerOf(context);
  // In the access log whatever happens next: the change is made.
  context.auth.auditTrail.recordChild(after.CHILD, 'PEP');
  try {
    await context.pepWorkflow.history.record({
      pepId: after.PEP_ID,
      childId: after.CHILD,
      action,
      actorSub: caller.sub,
      actorRoles: caller.roles,
      requestId: context.auth.requestId,
      before: before && { ...before },
      after: { ...after },
    });
  } catch (error) {
    // No ids of the child's: the request id leads to the access log's event (which child) and
    // the case system's change feed (which PEP), for whoever puts the history right.
    logger.error('PEP change made in the case system but not recorded in its history', {
      operation: action,
      requestId: context.auth.requestId ?? undefined,
      kind: error instanceof Error ? error.constructor.name : typeof error,
    });
    throw new PublicError(
      ErrorCode.HISTORY_UNAVAILABLE,
      action === 'CREATE_DRAFT'
        ? 'The draft was saved in the case system, but its history could not be recorded: ' +
            'send the same request again (same requestId) to record it.'
        : 'The change was saved in the case system, but its history could not be recorded; ' +
            'it has been logged for the Virtual School to put right. Do not repeat the change.',
    );
  }
}

/** The answer: the PEP as it now stands, noted in the access log as a PEP read of the child. */
function answer(context: SocialCareContext, pep: ScPep, changed: boolean): PepChangeShape {
  context.auth.auditTrail.recordChild(pep.CHILD, 'PEP');
  return { pep: toPep(pep), changed };
}

const changedSomething = (meta: { changes: readonly number[] }) => meta.changes.length > 0;

export async function createPepDraft(
  _parent: unknown,
  args: InputArgs,
  context: SocialCareContext,
): Promise<PepChangeShape> {
  callerOf(context);
  const input = parseCreateDraft(args.input, context.mapping.asOf);
  const verdict = await mayChangeChild(context, input.childId, WRITES_PEP);
  if (verdict === 'absent') throw noSuchChild();
  if (verdict === 'forbidden') throw forbidden('You may not write this child’s PEP.');

  const result = await rejectedByCaseSystem(() =>
    context.client.createPepDraft(input.childId, draftPost(input)),
  );
  if (!result) throw noSuchChild();
  const { data } = result;
  // A request id is one draft of one child: reused for another child, it is refused (without
  // saying anything of the other draft).
  if (data.CHILD !== input.childId) {
    throw new PublicError(
      ErrorCode.BAD_USER_INPUT,
      'The input is not valid: `requestId` was already used for another draft; make a new one.',
    );
  }
  if (changedSomething(result.meta)) {
    await recordHistory(context, 'CREATE_DRAFT', null, data);
  } else {
    // A retry: if the first attempt's history was not written, it is written now.
    const history = (await context.pepWorkflow.history.historyFor([data.PEP_ID])).get(data.PEP_ID);
    if (!history?.some((entry) => entry.action === 'CREATE_DRAFT')) {
      await recordHistory(context, 'CREATE_DRAFT', null, data);
    }
  }
  return answer(context, data, changedSomething(result.meta));
}

export async function updatePepDraft(
  _parent: unknown,
  args: InputArgs,
  context: SocialCareContext,
): Promise<PepChangeShape> {
  callerOf(context);
  const input = parseUpdateDraft(args.input, context.mapping.asOf);
  const before = await changeablePep(context, input.pepId, WRITES_PEP);
  const result = await rejectedByCaseSystem(() =>
    context.client.updatePepDraft(input.pepId, draftPut(input)),
  );
  if (!result) throw noSuchPep();
  const changed = changedSomething(result.meta);
  if (changed) await recordHistory(context, 'UPDATE_DRAFT', before, result.data);
  return answer(context, result.data, changed);
}

export async function reviewPepTargets(
  _parent: unknown,
  args: InputArgs,
  context: SocialCareContext,
): Promise<PepChangeShape> {
  callerOf(context);
  const input = parseReviewTargets(args.input, context.mapping.asOf);
  const before = await changeablePep(context, input.pepId, WRITES_PEP);
  // The later meeting must be the same child's: another child's PEP, or none, is one answer.
  const at = await context.client.pep(input.atPepId);
  if (!at || at.CHILD !== before.CHILD) {
    throw new PublicError(
      ErrorCode.BAD_USER_INPUT,
      'The input is not valid: `atPepId` must be a later PEP of the same child.',
    );
  }
  const result = await rejectedByCaseSystem(() =>
    context.client.reviewPepTargets(input.pepId, reviewsPost(input)),
  );
  if (!result) throw noSuchPep();
  const changed = changedSomething(result.meta);
  if (changed) await recordHistory(context, 'REVIEW_TARGETS', before, result.data);
  return answer(context, result.data, changed);
}

export async function completePep(
  _parent: unknown,
  args: InputArgs,
  context: SocialCareContext,
): Promise<PepChangeShape> {
  callerOf(context);
  const input = parseComplete(args.input, context.mapping.asOf);
  const before = await changeablePep(context, input.pepId, CHANGES_STATUS);
  const result = await rejectedByCaseSystem(() =>
    context.client.completePep(input.pepId, completePost(input)),
  );
  if (!result) throw noSuchPep();
  const changed = changedSomething(result.meta);
  if (changed) await recordHistory(context, 'COMPLETE', before, result.data);
  return answer(context, result.data, changed);
}

export async function qualityAssurePep(
  _parent: unknown,
  args: InputArgs,
  context: SocialCareContext,
): Promise<PepChangeShape> {
  const caller = callerOf(context);
  const input = parseQualityAssure(args.input);
  const before = await changeablePep(context, input.pepId, CHANGES_STATUS);
  const result = await rejectedByCaseSystem(() =>
    context.client.qualityAssurePep(
      input.pepId,
      qualityAssurancePost(input, caller.sub, context.mapping.asOf),
    ),
  );
  if (!result) throw noSuchPep();
  const changed = changedSomething(result.meta);
  if (changed) await recordHistory(context, 'QUALITY_ASSURE', before, result.data);
  return answer(context, result.data, changed);
}

export const pepWorkflowMutations = {
  createPepDraft,
  updatePepDraft,
  reviewPepTargets,
  completePep,
  qualityAssurePep,
};
