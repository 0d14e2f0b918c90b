/**
 * The "scope" column of `shared/spec/access.md`: which children a caller can see at all, and,
 * role by role, which categories of each child's record. A child outside scope must be
 * indistinguishable from one that does not exist, so every subgraph asks this one place, for
 * every child it is about to return, however it was reached (`child(id:)`, a list, or the
 * query planner's `_entities`).
 *
 * Roles pair with their own scope: for each child the caller reads the union over its roles r
 * of (the categories r may read, if the child is in r's scope); never the categories of one
 * role over the scope of another. `includes` finds those roles once per child and request and
 * keeps them, and the field rules (`mayReadOfChild` in rules.ts) read them back for the child
 * they guard.
 */
import type { Caller, Role } from '../../identity/caller';
import type { Category } from '../../domain/categories';
import { READABLE_CATEGORIES } from './categories';

/** What scope depends on, gathered in batches from social care and education. */
export interface ChildFacts {
  /** Social care id (null for a pupil another authority looks after). */
  id: string | null;
  upn: string | null;
  /** Code of the authority looking after the child. */
  lookedAfterBy: string;
  restricted: boolean;
  socialWorkerId: string | null;
  caseworkerId: string | null;
}

/** Whose record a parent object is: our child by social care id, or another authority's pupil by UPN. */
export type ChildSubject = { childId: string } | { upn: string };

/** Per-request look-ups the rules need for school staff; each is asked at most once per request. */
export interface ScopeSources {
  /** UPNs of looked-after pupils currently on roll at these schools. */
  rollUpns(urns: string[]): Promise<Set<string>>;
  /** Child ids whose need-to-know list names this member of staff. */
  needToKnowChildIds(staffId: string): Promise<Set<string>>;
  /** UPNs of other authorities' pupils whose need-to-know list names this member of staff. */
  needToKnowUpns(staffId: string): Promise<Set<string>>;
}

const NOTHING: ReadonlySet<Category> = new Set();

function subjectKey(subject: ChildSubject): string {
  return 'childId' in subject ? `child:${subject.childId}` : `upn:${subject.upn}`;
}

function factsKey(facts: ChildFacts): string | null {
  if (facts.id !== null) return `child:${facts.id}`;
  return facts.upn !== null ? `upn:${facts.upn}` : null;
}

export class ChildScope {
  private roll?: Promise<Set<string>>;
  private needToKnow?: Promise<Set<string>>;
  private needToKnowPupils?: Promise<Set<string>>;
  /** Per admitted child: the roles whose scope holds it. */
  private readonly admitted = new Map<string, readonly Role[]>();

  constructor(
    readonly caller: Caller | null,
    /** This authority's code. */
    private readonly homeLa: string,
    private readonly sources: ScopeSources,
  ) {}

  /** The caller's roles whose scope holds this child (empty: the child does not exist for them). */
  async rolesFor(facts: ChildFacts | null): Promise<Role[]> {
    const caller = this.caller;
    if (!caller) return [];
    // Timing is a channel: the school-staff look-ups are made whatever the child (even one
    // that does not exist), so out of scope, restricted and non-existent do the same work.
    await this.warm();
    if (facts === null) return [];
    const roles: Role[] = [];
    for (const role of caller.roles) {
      if (await this.roleIncludes(role, caller, facts)) roles.push(role);
    }
    return roles;
  }

  /** Every category the caller reads about this child: the union over the roles that hold it. */
  async readable(facts: ChildFacts | null): Promise<ReadonlySet<Category>> {
    return categoriesOf(await this.rolesFor(facts));
  }

  /**
   * True when the caller may see this child's individual record at all and, when `needed` is
   * given (the categories an argument selected the child by), may read each of them for it.
   * An admitted child's roles are kept for the field rules of this request. A child that does
   * not exist (`null`) costs the same look-ups and is not included.
   */
  async includes(facts: ChildFacts | null, needed: readonly Category[] = []): Promise<boolean> {
    const roles = await this.rolesFor(facts);
    if (facts === null) return false;
    const categories = categoriesOf(roles);
    if (!categories.has('ID_BASIC') && !categories.has('ID')) return false;
    if (!needed.every((category) => categories.has(category))) return false;
    const key = factsKey(facts);
    if (key !== null) this.admitted.set(key, roles);
    return true;
  }

  /** Filters a list to the children in scope (and readable for `needed`), keeping order. */
  async filter<T>(
    items: T[],
    factsOf: (item: T) => ChildFacts | null,
    needed: readonly Category[] = [],
  ): Promise<T[]> {
    const verdicts = await Promise.all(
      items.map((item) => {
        const facts = factsOf(item);
        return this.includes(facts, needed);
      }),
    );
    return items.filter((_item, index) => verdicts[index]);
  }

  /** The roles whose scope holds a child admitted in this request (none if never admitted). */
  rolesOf(subject: ChildSubject | null | undefined): readonly Role[] {
    if (!subject) return [];
    return this.admitted.get(subjectKey(subject)) ?? [];
  }

  /** May the caller read `category` of this admitted child? Deny for a child never admitted. */
  mayRead(subject: ChildSubject | null | undefined, category: Category): boolean {
    return this.rolesOf(subject).some((role) => READABLE_CATEGORIES[role].includes(category));
  }

  private async roleIncludes(role: Role, caller: Caller, facts: ChildFacts): Promise<boolean> {
    const ours = caller.la === this.homeLa && facts.lookedAfterBy === this.homeLa;
    switch (role) {
      case 'virtual-school-head':
        return ours;
      case 'virtual-school-officer':
        return ours && !facts.restricted && facts.caseworkerId === caller.sub;
      case 'social-worker':
        return ours && facts.socialWorkerId === caller.sub;
      case 'finance-officer':
        return ours && !facts.restricted;
      case 'designated-teacher':
        return (
          caller.la === this.homeLa &&
          !facts.restricted &&
          facts.upn !== null &&
          (await this.rollUpns()).has(facts.upn)
        );
      case 'teacher':
        if (caller.la !== this.homeLa || facts.restricted || facts.upn === null) return false;
        // Our children's lists are kept by child id. Another authority's pupil has none here,
        // so theirs is kept by UPN (issue 15); a UPN grant never admits one of our children.
        if (facts.id !== null) {
          return (
            (await this.needToKnowIds()).has(facts.id) && (await this.rollUpns()).has(facts.upn)
          );
        }
        return (
          facts.lookedAfterBy !== this.homeLa &&
          (await this.needToKnowUpns()).has(facts.upn) &&
          (await this.rollUpns()).has(facts.upn)
        );
      default:
        // governor, analyst, placing-authority, auditor: no individual records.
        return false;
    }
  }

  /** Starts the look-ups the caller's roles need, whatever child is asked about. */
  private async warm(): Promise<void> {
    const caller = this.caller;
    if (!caller) return;
    const waits: Promise<unknown>[] = [];
    if (caller.roles.includes('designated-teacher') || caller.roles.includes('teacher')) {
      waits.push(this.rollUpns());
    }
    if (caller.roles.includes('teacher')) waits.push(this.needToKnowIds(), this.needToKnowUpns());
    await Promise.all(waits);
  }

  /** UPNs of looked-after pupils on roll at the caller's schools (empty for others). */
  rollUpns(): Promise<Set<string>> {
    this.roll ??=
      this.caller && this.caller.urns.length > 0
        ? this.sources.rollUpns(this.caller.urns)
        : Promise.resolve(new Set());
    return this.roll;
  }

  /** Children whose need-to-know list names the caller. */
  needToKnowIds(): Promise<Set<string>> {
    this.needToKnow ??= this.caller
      ? this.sources.needToKnowChildIds(this.caller.sub)
      : Promise.resolve(new Set());
    return this.needToKnow;
  }

  /** Other authorities' pupils (by UPN) whose need-to-know list names the caller. */
  needToKnowUpns(): Promise<Set<string>> {
    this.needToKnowPupils ??= this.caller
      ? this.sources.needToKnowUpns(this.caller.sub)
      : Promise.resolve(new Set());
    return this.needToKnowPupils;
  }
}

/** The union of the categories of these roles. */
export function categoriesOf(roles: readonly Role[]): ReadonlySet<Category> {
  if (roles.length === 0) return NOTHING;
  return new Set(roles.flatMap((role) => READABLE_CATEGORIES[role]));
}
