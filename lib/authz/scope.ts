/**
 * The "scope" column of `shared/spec/access.md`: which children a caller can see at all.
 * A child outside scope must be indistinguishable from one that does not exist, so every
 * subgraph asks this one place, for every child it is about to return, however it was
 * reached (`child(id:)`, a list, or the query planner's `_entities`).
 */
import type { Caller } from '../../identity/caller';

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

/** Per-request look-ups the rules need for school staff; each is asked at most once per request. */
export interface ScopeSources {
  /** UPNs of looked-after pupils currently on roll at these schools. */
  rollUpns(urns: string[]): Promise<Set<string>>;
  /** Child ids whose need-to-know list names this member of staff. */
  needToKnowChildIds(staffId: string): Promise<Set<string>>;
}

export class ChildScope {
  private roll?: Promise<Set<string>>;
  private needToKnow?: Promise<Set<string>>;

  constructor(
    readonly caller: Caller | null,
    /** This authority's code. */
    private readonly homeLa: string,
    private readonly sources: ScopeSources,
  ) {}

  /** True when the caller may see this child's individual record at all. */
  async includes(facts: ChildFacts): Promise<boolean> {
    const caller = this.caller;
    if (!caller) return false;
    for (const role of caller.roles) {
      if (await this.roleIncludes(role, caller, facts)) return true;
    }
    return false;
  }

  /** Filters a list to the children in scope, keeping order. */
  async filter<T>(items: T[], factsOf: (item: T) => ChildFacts | null): Promise<T[]> {
    const verdicts = await Promise.all(
      items.map((item) => {
        const facts = factsOf(item);
        return facts ? this.includes(facts) : Promise.resolve(false);
      }),
    );
    return items.filter((_item, index) => verdicts[index]);
  }

  private async roleIncludes(
    role: Caller['roles'][number],
    caller: Caller,
    facts: ChildFacts,
  ): Promise<boolean> {
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
        return !facts.restricted && facts.upn !== null && (await this.rollUpns()).has(facts.upn);
      case 'teacher':
        return (
          !facts.restricted &&
          facts.id !== null &&
          facts.upn !== null &&
          (await this.needToKnowIds()).has(facts.id) &&
          (await this.rollUpns()).has(facts.upn)
        );
      default:
        // governor, analyst, placing-authority, auditor: no individual records.
        return false;
    }
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
}
