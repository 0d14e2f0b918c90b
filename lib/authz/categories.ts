/**
 * The "may read" column of `shared/spec/access.md`, as data: which data categories each role
 * reads about an individual child. This table is the one place that says it; the rules and
 * every subgraph's permissions read it. Anything not listed is denied.
 */
import type { Caller, Role } from '../../identity/caller';

export const CATEGORIES = [
  /** The child's id and name only (finance officers). */
  'ID_BASIC',
  /** Identity: id, name, preferred name, date of birth, gender, UPN. */
  'ID',
  'CARE',
  'PLACEMENT',
  'ADDRESS',
  'PR',
  'EDU',
  'PEP',
  'FUNDING',
  'NTK',
  'AUDIT',
  /**
   * What a teacher named on the need-to-know list may see beyond ID: the year group, the
   * classroom support strategies the PEP shares with staff, and the designated teacher's contact.
   */
  'CLASSROOM',
] as const;
export type Category = (typeof CATEGORIES)[number];

const EVERY_CHILD_CATEGORY: Category[] = [
  'ID_BASIC',
  'ID',
  'CARE',
  'PLACEMENT',
  'PR',
  'EDU',
  'PEP',
  'FUNDING',
  'NTK',
  'CLASSROOM',
];

export const READABLE_CATEGORIES: Record<Role, readonly Category[]> = {
  'virtual-school-head': [...EVERY_CHILD_CATEGORY, 'ADDRESS', 'AUDIT'],
  'virtual-school-officer': EVERY_CHILD_CATEGORY,
  'social-worker': [...EVERY_CHILD_CATEGORY, 'ADDRESS'],
  // FUNDING is limited to the teacher's own school(s) where funding is resolved.
  'designated-teacher': EVERY_CHILD_CATEGORY,
  teacher: ['ID_BASIC', 'ID', 'CLASSROOM'],
  governor: [],
  analyst: [],
  'finance-officer': ['ID_BASIC', 'FUNDING'],
  'placing-authority': [],
  auditor: ['AUDIT'],
};

export function mayReadCategory(caller: Caller | null, category: Category): boolean {
  if (!caller) return false;
  return caller.roles.some((role) => READABLE_CATEGORIES[role].includes(category));
}

/** Every category the caller may read about a child (for the audit log). */
export function readableCategories(caller: Caller): Category[] {
  return CATEGORIES.filter((category) => mayReadCategory(caller, category));
}
