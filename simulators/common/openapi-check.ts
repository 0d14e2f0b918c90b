/** Test helper: the routes an express app registers against the operations its OpenAPI file lists. */
import type { Express } from 'express';
import { OpenApiDocument } from '../../upstream/common/openapi';
import { expressRoutes, toOpenApiRoute } from './testing';

export interface RouteCoverage {
  registered: string[];
  /** Registered in the app, absent from the OpenAPI file. */
  undocumented: string[];
  /** In the OpenAPI file, not registered in the app. */
  unimplemented: string[];
}

export function openApiCoverage(app: Express, file: string): RouteCoverage {
  const documented = OpenApiDocument.read(file).operations();
  const registered = expressRoutes(app).map(toOpenApiRoute);
  return {
    registered,
    undocumented: registered.filter((route) => !documented.includes(route)),
    unimplemented: documented.filter((operation) => !registered.includes(operation)),
  };
}
