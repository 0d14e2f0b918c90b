/** Helpers for the simulators' own tests: HTTP clients and the route/OpenAPI cross-check. */
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import type { Express } from 'express';

/** An axios client that never throws on a status, with the bearer key when given. */
export function httpClient(baseURL: string, apiKey?: string, timeout = 5000): AxiosInstance {
  return axios.create({
    baseURL,
    timeout,
    validateStatus: () => true,
    headers: apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` },
  });
}

/** Same, but the body arrives as the raw text (to see a malformed body as it is). */
export function rawHttpClient(baseURL: string, apiKey?: string, timeout = 5000): AxiosInstance {
  return axios.create({
    baseURL,
    timeout,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
    headers: apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` },
  });
}

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** Every route registered on an express app, as "GET /api/v1/children/:id". */
export function expressRoutes(app: Express): string[] {
  const router = (app as unknown as { _router?: { stack?: RouteLayer[] } })._router;
  const routes: string[] = [];
  for (const layer of router?.stack ?? []) {
    if (!layer.route || typeof layer.route.path !== 'string') continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on) routes.push(`${method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return routes;
}

/** "GET /v1/schools/:urn" -> "GET /v1/schools/{urn}". */
export function toOpenApiRoute(route: string): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
