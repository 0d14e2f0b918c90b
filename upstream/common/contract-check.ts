/**
 * Test helper: the checks every system's `contract.test.ts` makes of its contract against its
 * OpenAPI file. Each route the client calls is documented, answers the schema the client's
 * guard reads and takes the query parameters the client sends; each payload type and each
 * request body has exactly the documented fields (spelled out with `fieldsOf`, so the type
 * check catches a field added to the type and not to the test).
 */
import { routeName, type UpstreamRoute } from './contract';
import { OpenApiDocument } from './openapi';

export interface ContractExpectations<Routes extends Record<string, UpstreamRoute>> {
  /** `schema/openapi/<file>`. */
  file: string;
  routes: Routes;
  /** [schema name, the contract type's fields]. */
  schemas: Array<[string, string[]]>;
  /** [route, the fields of the body type the client sends]. */
  bodies: Array<[keyof Routes & string, string[]]>;
}

export function checkContract<Routes extends Record<string, UpstreamRoute>>(
  expected: ContractExpectations<Routes>,
): void {
  const doc = OpenApiDocument.read(expected.file);

  it.each(Object.entries(expected.routes))(
    'the client’s route %s is documented and answers the shape the client reads',
    (_name, route) => {
      expect(doc.operations()).toContain(routeName(route));
      if (route.response) {
        expect(doc.responseSchema(route.method, route.path)).toBe(route.response);
      }
      const documented = doc.parameters(route.method, route.path);
      for (const name of route.query ?? []) expect(documented).toContain(name);
    },
  );

  it.each(expected.schemas)('%s has exactly the documented fields', (schema, fields) => {
    expect(fields).toEqual(doc.schemaProperties(schema));
  });

  it.each(expected.bodies)(
    'the body the client sends to %s has exactly the documented fields',
    (name, fields) => {
      const route = expected.routes[name]!;
      expect(fields).toEqual(doc.requestBodyProperties(route.method, route.path));
    },
  );
}
