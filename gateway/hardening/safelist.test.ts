/**
 * The operation safelist: registered documents run whatever their formatting; anything else
 * is a 400 OPERATION_NOT_ALLOWED before any resolver runs; a bad file stops the start.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { loadSafelist, safelistPlugin } from './safelist';

const dir = mkdtempSync(join(tmpdir(), 'safelist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const REGISTERED = /* GraphQL */ `
  query Child($id: ID!) {
    child(id: $id) {
      id
      name
    }
  }
`;

describe('loadSafelist', () => {
  it('reads a JSON array of GraphQL documents', () => {
    const allowed = loadSafelist(file('ok.json', JSON.stringify([REGISTERED, '{ ping }'])));
    expect(allowed.size).toBe(2);
  });

  it('stops the start on a missing file, bad JSON, a wrong shape or an invalid document', () => {
    expect(() => loadSafelist(join(dir, 'missing.json'))).toThrow(/not a readable JSON file/);
    expect(() => loadSafelist(file('bad.json', '[ "{ a }",'))).toThrow(/not a readable JSON/);
    expect(() => loadSafelist(file('object.json', '{"a": "{ a }"}'))).toThrow(/JSON array/);
    expect(() => loadSafelist(file('numbers.json', '["{ a }", 3]'))).toThrow(/JSON array/);
    expect(() => loadSafelist(file('invalid.json', '["{ a }", "{ b"]'))).toThrow(
      'SAFELIST_FILE: document 1 is not valid GraphQL',
    );
  });
});

describe('safelistPlugin', () => {
  let server: ApolloServer;
  let resolved = 0;
  beforeAll(async () => {
    server = new ApolloServer({
      schema: buildSchema(/* GraphQL */ `
        type Query {
          child(id: ID!): Child
          ping: String
        }
        type Child {
          id: ID!
          name: String
          dateOfBirth: String
        }
      `),
      rootValue: {
        child: ({ id }: { id: string }) => {
          resolved += 1;
          return { id, name: 'A', dateOfBirth: '2012-01-01' };
        },
      },
      plugins: [safelistPlugin(loadSafelist(file('list.json', JSON.stringify([REGISTERED]))))],
    });
    await server.start();
  });
  afterAll(() => server.stop());

  async function run(query: string) {
    const response = await server.executeOperation({ query, variables: { id: '1' } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, result: response.body.singleResult };
  }

  it('runs a registered operation, however it is formatted', async () => {
    const compact = 'query Child($id:ID!){child(id:$id){id,name}} # from the app';
    for (const query of [REGISTERED, compact]) {
      const { result } = await run(query);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ child: { id: '1', name: 'A' } });
    }
    expect(resolved).toBe(2);
  });

  it.each([
    ['an ad hoc query', '{ ping }'],
    ['a widened one', 'query Child($id: ID!) { child(id: $id) { id name dateOfBirth } }'],
    ['an aliased one', 'query Child($id: ID!) { child(id: $id) { id n: name } }'],
    ['a renamed one', 'query Other($id: ID!) { child(id: $id) { id name } }'],
  ])('refuses %s with 400 OPERATION_NOT_ALLOWED before anything runs', async (_what, query) => {
    const before = resolved;
    const { status, result } = await run(query);
    expect(status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual([
      'OPERATION_NOT_ALLOWED',
    ]);
    expect(result.errors?.[0]?.message).toBe('Only registered operations may run.');
    expect(resolved).toBe(before);
  });
});
