import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { asksForAny } from './selection';

const schema = buildSchema(`
  type Query { ppp: Ppp }
  type Ppp { allocated: Int, unspent: Int, topSliceShare: Int, spend: [Int] }
`);

/** What `asksForAny(info, ['topSliceShare', 'unspent'])` says in `ppp`'s resolver. */
async function asked(query: string): Promise<boolean> {
  let answer: boolean | undefined;
  const rootValue = {
    ppp: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      answer = asksForAny(info, ['topSliceShare', 'unspent']);
      return {};
    },
  };
  const result = await graphql({ schema, source: query, rootValue });
  expect(result.errors).toBeUndefined();
  return answer!;
}

describe('asksForAny', () => {
  it('finds a field named directly, in an inline fragment or in a named fragment', async () => {
    expect(await asked('{ ppp { allocated unspent } }')).toBe(true);
    expect(await asked('{ ppp { ... on Ppp { topSliceShare } } }')).toBe(true);
    expect(
      await asked(
        '{ ppp { ...f } } fragment f on Ppp { allocated ...g } fragment g on Ppp { unspent }',
      ),
    ).toBe(true);
  });

  it('is false when none is asked for, and without resolve info', async () => {
    expect(await asked('{ ppp { allocated spend } }')).toBe(false);
    expect(await asked('{ ppp { ...f } } fragment f on Ppp { allocated }')).toBe(false);
    expect(asksForAny(undefined, ['unspent'])).toBe(false);
  });
});
