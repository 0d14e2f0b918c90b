/**
 * "Authority first" (`shared/spec/access.md`, last section): a token whose `la` is not this
 * authority's gets what `placing-authority` gets (the DT register and virtual school
 * contacts) and nothing else, whatever roles it claims. Another authority's head is this
 * authority's placing authority, not its head.
 *
 * Applied once, where a subgraph builds the request's caller (`createRequestAuth`) and where
 * the reporting subgraph does the same, so no rule or resolver ever sees the claimed roles of
 * another authority's token.
 */
import type { Caller } from '../../identity/caller';

export function asSeenByThisAuthority(caller: Caller | null, homeLa: string): Caller | null {
  if (!caller || caller.la === homeLa) return caller;
  // Any role at all becomes the placing authority's; none stays none. School URNs of another
  // authority's staff name no school here that they work at.
  return { ...caller, roles: caller.roles.length > 0 ? ['placing-authority'] : [], urns: [] };
}
