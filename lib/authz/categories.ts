/**
 * The "may read" column of `shared/spec/access.md`, as data: which data categories each role
 * reads about an individual child. This table is the one place that says it; the rules and
 * every subgraph's permissions read it. Anything not listed is denied.
 */
import { CATEGORIES, type Category } from '../../domain/categories';
import type { Caller, Role } from '../../identity/caller';

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
