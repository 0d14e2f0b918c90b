/**
 * The committed supergraph must be exactly what the subgraph SDL files compose to, and
 * composition must succeed. Run `npm run compose` after changing any subgraph SDL.
 */
import { readFileSync } from 'node:fs';
import { composeSupergraph } from '../schema/compose';
import { SUPERGRAPH_FILE } from '../schema/subgraphs';

describe('supergraph composition', () => {
  const outcome = composeSupergraph();

  it('composes without errors', () => {
    expect(outcome.errors).toEqual([]);
    expect(outcome.supergraphSdl).toBeDefined();
  });

  it('matches the committed schema/supergraph.graphql (run `npm run compose` if not)', () => {
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(outcome.supergraphSdl);
  });

  it('lets the query planner join Child across systems by the social care id', () => {
    // Education and finance find their own identifiers (UPN, client reference) from the id, so
    // the UPN, an identity field not every role may read, is never needed as a join key.
    const sdl = outcome.supergraphSdl ?? '';
    expect(sdl).toMatch(/@join__type\(graph: SOCIAL_CARE, key: "id"\)/);
    expect(sdl).toMatch(/@join__type\(graph: EDUCATION, key: "id"\)/);
    expect(sdl).toMatch(/@join__type\(graph: FINANCE, key: "id"\)/);
    expect(sdl).toMatch(/@join__type\(graph: NEED_TO_KNOW, key: "id"\)/);
    expect(sdl).not.toMatch(/@join__type\(graph: EDUCATION, key: "upn"\)/);
  });
});
