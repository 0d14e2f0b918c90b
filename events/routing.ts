/**
 * Who hears of an event (issue 13, "who hears what"): the access policy applied per child and
 * category when the event is raised. The head of the authority's Virtual School hears of every
 * child; the allocated social worker of theirs; the child's Virtual School officer and the
 * designated teacher of the child's current school(s) unless the record is restricted (for
 * them a restricted child does not exist, access.md); a teacher never. Each recipient role
 * must read the event's category (READABLE_CATEGORIES), so a role that could not read the
 * facts is never told them. Reads check scope once more (`subgraphs/alerts`), so a recipient
 * who has since lost the child stops seeing its alerts.
 */
import type { Role } from '../identity/caller';
import { READABLE_CATEGORIES } from '../lib/authz/categories';
import type { Category } from '../domain/categories';
import type { Audience } from './types';

/** The roles an event can be routed to, and how each is named in an audience string. */
export const RECIPIENT_ROLES = [
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
] as const satisfies readonly Role[];

/** What routing reads about a child when the event is raised. */
export interface RoutingFacts {
  /** This authority's code. */
  la: string;
  restricted: boolean;
  socialWorkerId: string | null;
  caseworkerId: string | null;
  /** URNs of the schools the child is on roll at now (main and dual registrations). */
  schoolUrns: readonly string[];
}

const mayHear = (role: Role, category: Category) => READABLE_CATEGORIES[role].includes(category);

/** The audience of an event about a child. */
export function audienceForChild(category: Category, facts: RoutingFacts): Audience[] {
  const audience: Audience[] = [];
  if (mayHear('virtual-school-head', category)) audience.push(`virtual-school-head@${facts.la}`);
  if (facts.socialWorkerId && mayHear('social-worker', category)) {
    audience.push(`social-worker:${facts.socialWorkerId}`);
  }
  if (facts.restricted) return audience;
  if (facts.caseworkerId && mayHear('virtual-school-officer', category)) {
    audience.push(`virtual-school-officer:${facts.caseworkerId}`);
  }
  if (mayHear('designated-teacher', category)) {
    for (const urn of [...new Set(facts.schoolUrns)].sort()) {
      audience.push(`designated-teacher@${urn}`);
    }
  }
  return audience;
}

/**
 * The audience of an event about a school (no designated teacher on the register): the head,
 * who keeps the register, and the officers linked to the school.
 */
export function audienceForSchool(la: string, linkOfficerIds: readonly string[]): Audience[] {
  return [
    `virtual-school-head@${la}`,
    ...[...new Set(linkOfficerIds)].sort().map((id) => `virtual-school-officer:${id}`),
  ];
}
