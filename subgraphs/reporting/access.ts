/**
 * Who may ask for which report (shared/spec/access.md): analysts and the virtual school head
 * read aggregates for their own authority; a governor reads aggregates of their own school
 * only, so their filter must name it. Anyone else, or any other school, is refused. The
 * answer is the caller's scope, part of the cache key.
 */
import type { Caller } from '../../identity/caller';
import { forbidden } from '../../lib/errors';
import { conditionOn, type ReportRequest } from './input';

export function reportScope(caller: Caller | null, request: ReportRequest, homeLa: string): string {
  if (!caller) throw forbidden();
  const authorityWide = caller.roles.some(
    (role) => role === 'analyst' || role === 'virtual-school-head',
  );
  if (authorityWide && caller.la === homeLa) return `la:${homeLa}`;
  if (caller.roles.includes('governor')) {
    const urn = conditionOn(request, 'SCHOOL');
    if (urn !== null && caller.urns.includes(urn)) return `school:${urn}`;
    throw forbidden(
      'A governor reads reports for their own school only: set `schoolUrn` to that school.',
    );
  }
  throw forbidden();
}
