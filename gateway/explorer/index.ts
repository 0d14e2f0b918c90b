/**
 * The development explorer at `/explorer`: GraphiQL from npm (its prebuilt browser files, with
 * React's), every asset served from this origin (no CDN), and a persona selector whose tokens
 * come from the development issuer through the gateway (`/explorer/personas`), so the page
 * talks to its own origin only. Never mounted in production (`explorerEnabled` in config.ts).
 *
 * Its own Content-Security-Policy, scoped to `/explorer`, replaces the API's "nothing" policy:
 * scripts only from this origin (GraphiQL 3 needs no `eval`: its one `Function('return this')`
 * is never reached where `globalThis` exists); styles from this origin, plus inline ones,
 * because GraphiQL's dialogs inject a `<style>` element (a scroll lock) that carries no nonce.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

const PAGE_DIR = path.join(__dirname, 'page');

export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The files the page loads, by the name it asks for. */
function assetFiles(): Record<string, string> {
  const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
  return {
    'graphiql.min.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
    'graphiql.min.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
    'react.production.min.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
    'react-dom.production.min.js': path.join(
      packageDir('react-dom'),
      'umd',
      'react-dom.production.min.js',
    ),
    'explorer.js': path.join(PAGE_DIR, 'explorer.js'),
    'explorer.css': path.join(PAGE_DIR, 'explorer.css'),
  };
}

/** A persona's name as the development issuer spells them (`vs-officer`): nothing else is passed on. */
const PERSONA_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const ISSUER_TIMEOUT_MS = 5_000;

export interface ExplorerOptions {
  /** The issuer of callers' tokens (`OIDC_ISSUER`): persona tokens come from there, if it is the development issuer. */
  issuer: string;
}

/** The router to mount at `/explorer`. */
export function explorerRouter({ issuer }: ExplorerOptions): express.Router {
  const router = express.Router();
  const page = readFileSync(path.join(PAGE_DIR, 'index.html'));
  const assets = assetFiles();
  const issuerBase = issuer.replace(/\/+$/, '');

  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', EXPLORER_CSP);
    next();
  });
  // The page names its assets by absolute paths: `/explorer` and `/explorer/` both work.
  router.get('/', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/assets/:file', (req, res, next) => {
    const file = Object.hasOwn(assets, req.params.file) ? assets[req.params.file] : undefined;
    if (!file) return next();
    res.sendFile(file);
  });

  // The persona tokens, fetched server to server from the development issuer (a real
  // issuer has no such endpoint: the page then asks for a header instead).
  const fromIssuer = async (
    res: express.Response,
    method: 'GET' | 'POST',
    issuerPath: string,
  ): Promise<void> => {
    try {
      const answer = await fetch(`${issuerBase}${issuerPath}`, {
        method,
        signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS),
      });
      if (!answer.ok) {
        res.status(404).json({ error: 'no development issuer persona here' });
        return;
      }
      res.json(await answer.json());
    } catch {
      res.status(502).json({ error: 'the development issuer did not answer' });
    }
  };
  router.get('/personas', (_req, res) => fromIssuer(res, 'GET', '/personas'));
  router.post('/personas/:name/token', (req, res) => {
    const { name } = req.params;
    if (!PERSONA_NAME.test(name)) {
      res.status(404).json({ error: 'no such persona' });
      return;
    }
    return fromIssuer(res, 'POST', `/personas/${name}/token`);
  });
  return router;
}
