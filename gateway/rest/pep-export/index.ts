/**
 * `GET /peps/children/:childId/:pepId.html`: a completed PEP as a page to print or hand to a
 * carer or a new school (`render.ts`). Answered through the graph as the caller, so the same
 * rules decide what is on it (a role that may not read the child's name or date of birth gets
 * a page without them; one that may not read the PEP gets 403) and the access log records the
 * export as the `PepExport` operation. Drafts are not exported: they are not the plan yet.
 */
import type express from 'express';
import { ErrorCode } from '../../../lib/errors';
import type { RestDependencies } from '../index';
import { sendGraphQLErrors } from '../respond';
import { renderPepHtml, type PepExportTarget } from './render';

const QUERY = /* GraphQL */ `
  query PepExport($id: ID!) {
    child(id: $id) {
      id
      name {
        displayName
      }
      dateOfBirth
      pep {
        history {
          id
          meetingDate
          status
          schoolUrn
          childViews
          supportStrategies
          targets {
            area
            description
            status
            successMeasure
            owner
            reviewDate
            review {
              outcome
              comment
              reviewedOn
            }
          }
          attendees {
            name
            role
          }
          strengths
          barriers
          signOff {
            role
            name
            signedOn
          }
          qualityAssurance {
            rating
            reasons
            ratedOn
          }
        }
      }
    }
  }
`;

interface Answer {
  child: {
    id: string;
    name: { displayName: string } | null;
    dateOfBirth: string | null;
    pep: {
      history: Array<{
        id: string;
        meetingDate: string;
        status: string;
        schoolUrn: string | null;
        childViews: string | null;
        supportStrategies: string[];
        targets: PepExportTarget[];
        attendees: Array<{ name: string; role: string }>;
        strengths: string | null;
        barriers: string | null;
        signOff: Array<{ role: string; name: string; signedOn: string }>;
        qualityAssurance: { rating: string; reasons: string; ratedOn: string } | null;
      }>;
    } | null;
  } | null;
}

const CHILD_ID = /^\d{7}$/;
const PEP_ID = /^[A-Za-z0-9-]{1,40}$/;

const notFound = (res: express.Response) =>
  res
    .status(404)
    .set('Cache-Control', 'no-store')
    .json({ errors: [{ message: 'No such PEP.', extensions: { code: ErrorCode.NOT_FOUND } }] });

export function registerPepExport(router: express.Router, { execute }: RestDependencies): void {
  router.get('/peps/children/:childId/:pepId.html', async (req, res, next) => {
    try {
      const identity = res.locals.identity;
      if (!identity) return next(new Error('unauthenticated request reached an export'));
      const { childId = '', pepId = '' } = req.params as Record<string, string>;
      if (!CHILD_ID.test(childId) || !PEP_ID.test(pepId)) return notFound(res);
      const result = await execute<Answer>(identity, QUERY, { id: childId });
      const child = result.data?.child ?? null;
      if (!child) {
        return result.errors.length > 0 ? sendGraphQLErrors(res, result.errors) : notFound(res);
      }
      if (!child.pep) {
        // The PEP category refused (a teacher, a finance officer): the rest of the record is no export.
        return sendGraphQLErrors(
          res,
          result.errors.length > 0
            ? result.errors
            : [{ message: 'Not authorised.', extensions: { code: ErrorCode.FORBIDDEN } }],
        );
      }
      const pep = child.pep.history.find((entry) => entry.id === pepId);
      if (!pep) return notFound(res);
      if (pep.status === 'DRAFT') {
        return res
          .status(409)
          .set('Cache-Control', 'no-store')
          .json({
            errors: [
              {
                message: 'Only a completed PEP can be exported; this one is still a draft.',
                extensions: { code: ErrorCode.BAD_USER_INPUT },
              },
            ],
          });
      }
      const html = renderPepHtml({
        child: {
          id: child.id,
          name: child.name?.displayName ?? null,
          dateOfBirth: child.dateOfBirth,
        },
        pep,
        exportedAt: new Date().toISOString(),
      });
      res
        .status(200)
        .type('text/html; charset=utf-8')
        .set('Cache-Control', 'no-store')
        // Nothing on the page is fetched or run: its own inline styles only.
        .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
        .set('X-Content-Type-Options', 'nosniff')
        .set('Content-Disposition', `inline; filename="pep-${childId}-${pepId}.html"`)
        .send(html);
    } catch (error) {
      next(error);
    }
  });
}
