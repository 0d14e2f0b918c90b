/**
 * The gateway's plain HTTP exports, beside `/graphql`: each is a small module that turns a
 * GraphQL answer into another format. They sit behind the same token check as `/graphql`.
 * Add an export by writing a module in this folder and registering it below.
 */
import express from 'express';
import { registerAccessLogExport } from './access-log';
import type { ExecuteAsCaller } from './execute-as-caller';
import { registerPepExport } from './pep-export';
import { registerDesignatedTeacherExports } from './register';
import { registerReportExports } from './reports';
import { registerWorklistExports } from './worklists';

export interface RestDependencies {
  execute: ExecuteAsCaller;
}

/** Every export lives under one of these; the gateway checks the token on them first. */
export const REST_PREFIXES = ['/reports', '/register', '/audit', '/worklists', '/peps'] as const;

/** Registered exports; each adds its routes (full paths) to the router. */
const EXPORTS: Array<(router: express.Router, deps: RestDependencies) => void> = [
  registerAccessLogExport,
  registerDesignatedTeacherExports,
  registerReportExports,
  registerWorklistExports,
  registerPepExport,
];

export function restRouter(deps: RestDependencies): express.Router {
  const router = express.Router();
  for (const register of EXPORTS) register(router, deps);
  return router;
}
