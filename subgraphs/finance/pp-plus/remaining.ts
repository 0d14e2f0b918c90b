/**
 * What a child may still be given from this year's PP+: the unspent figure the profile shows
 * (domain/measures/pupil-premium-plus.ts `unspentFor`: allocated minus spent minus committed
 * minus the child's share of the top-slices), read fresh from the finance system. A request
 * over it is refused when made, and an approval over it when decided.
 */
import { formatPence } from '../../../domain/money';
import {
  pupilPremiumPlusFor,
  unpaidPence,
  unspentFor,
} from '../../../domain/measures/pupil-premium-plus';
import { badUserInput, type PublicError } from '../../../lib/errors';
import { clientRefFor } from '../../../upstream/finance/contract';
import type { FinanceContext } from '../resolvers';

/**
 * The child's remaining PP+ of `financialYear`, in pence. `exceptCommitmentRef`: a commitment
 * already made for this very request (an approval whose record here failed, being sent again)
 * is not counted against it.
 */
export async function remainingPence(
  context: FinanceContext,
  childId: string,
  financialYear: string,
  exceptCommitmentRef?: string,
): Promise<number> {
  const [client, year] = await Promise.all([
    context.loaders.clientByChildId.load(childId),
    context.loaders.topSlicesByYear.load(financialYear),
  ]);
  const ppp = pupilPremiumPlusFor(client, financialYear);
  if (ppp === null) return 0;
  const unspent = unspentFor(ppp, year)?.unspent.pence ?? 0;
  const own = (client?.commitments ?? []).find(
    (c) =>
      c.commitment_ref === exceptCommitmentRef &&
      c.status === 'OPEN' &&
      c.fy === financialYear &&
      c.client_ref === clientRefFor(childId),
  );
  return Math.max(0, unspent + (own ? unpaidPence(own) : 0));
}

/** The refusal of an amount over what remains, naming what remains. */
export function overAllocation(
  what: string,
  financialYear: string,
  remaining: number,
  then = 'Nothing was stored.',
): PublicError {
  return badUserInput(
    `${what} is more than the child's remaining Pupil Premium Plus for ${financialYear}: ` +
      `${formatPence(Math.max(0, remaining))} remains (allocated minus spent minus committed ` +
      `minus the child's share of the top-slices). ${then}`,
  );
}
