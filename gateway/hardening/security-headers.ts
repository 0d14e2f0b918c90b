/**
 * Response headers for a JSON API that serves personal data and no pages: helmet with a
 * Content-Security-Policy that allows nothing (no script, no frame, no form: there is no
 * landing page or sandbox to allow), no referrer, HSTS (meaningful behind TLS, harmless
 * without), and `Cache-Control: no-store` so no browser or proxy keeps a child's record.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
      xFrameOptions: { action: 'deny' },
    }),
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      next();
    },
  ];
}
