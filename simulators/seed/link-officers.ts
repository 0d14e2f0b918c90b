/**
 * The virtual school's link officer for each school, as the LA's education system records it
 * (an establishment's "LA contacts"): the officer a designated teacher, or another authority
 * placing a child there, contacts at the virtual school. The authority's own schools are
 * shared out among the officers in URN order; schools elsewhere get the officer who covers
 * placements in that authority (one per neighbouring authority, in code order). No random
 * draw: the same workforce and schools give the same links.
 */
import type { EdLinkOfficer } from '../../upstream/education/contract';
import type { ScWorker } from '../../upstream/social-care/contract';
import type { SchoolDirectory } from './schools';
import type { Workforce } from './workers';

export const LINK_OFFICER_TITLE = 'Virtual School Officer';

function linkOf(officer: ScWorker): EdLinkOfficer {
  return {
    staff_id: officer.STAFF_ID,
    name: officer.NAME,
    job_title: LINK_OFFICER_TITLE,
    email: officer.WORK_EMAIL,
    phone: officer.WORK_PHONE,
  };
}

/** Sets `vs_link_officer` on every school in the directory. */
export function assignLinkOfficers(dir: SchoolDirectory, workforce: Workforce): void {
  const officers = workforce.officers.length > 0 ? workforce.officers : [workforce.head];
  const byUrn = (a: { school: { urn: string } }, b: { school: { urn: string } }) =>
    a.school.urn.localeCompare(b.school.urn);
  dir.inArea.sort(byUrn).forEach((info, i) => {
    info.school.vs_link_officer = linkOf(officers[i % officers.length]!);
  });
  const elsewhere = dir.all.filter((info) => !info.inArea);
  const authorities = [...new Set(elsewhere.map((info) => info.school.la_code))].sort();
  for (const info of elsewhere) {
    const k = authorities.indexOf(info.school.la_code);
    info.school.vs_link_officer = linkOf(officers[k % officers.length]!);
  }
}
