/**
 * What one request read, as a subgraph saw it: which children and which categories of their
 * records it returned, and which aggregates or registers. Each subgraph keeps a trail per
 * request and hands it to the gateway in its response extensions (`claAudit`); the gateway
 * writes the whole request's trail to the access log in one insert before any data leaves.
 */
export const AUDIT_EXTENSION = 'claAudit';

export interface AuditEntry {
  /** Social care id of the child whose record was read; null for aggregate and register reads. */
  childId: string | null;
  /** A pupil another authority looks after (no social care id here), read by UPN. */
  subjectUpn?: string;
  /** Data categories returned (access.md keys), or e.g. 'AGGREGATE', 'DT_REGISTER'. */
  categories: string[];
  /** For an aggregate read: the cohort filter and breakdown asked for (never a child's data). */
  cohortFilter?: Record<string, unknown>;
}

export class AuditTrail {
  private readonly children = new Map<string, Set<string>>();
  private readonly pupils = new Map<string, Set<string>>();
  private readonly others: AuditEntry[] = [];

  /** One category of one child's record was returned. */
  recordChild(childId: string, category: string): void {
    let categories = this.children.get(childId);
    if (!categories) {
      categories = new Set();
      this.children.set(childId, categories);
    }
    categories.add(category);
  }

  /** One category of the record of a pupil another authority looks after was returned. */
  recordPupil(upn: string, category: string): void {
    let categories = this.pupils.get(upn);
    if (!categories) {
      categories = new Set();
      this.pupils.set(upn, categories);
    }
    categories.add(category);
  }

  /** An aggregate or register read. */
  record(entry: AuditEntry): void {
    this.others.push(entry);
  }

  entries(): AuditEntry[] {
    const perChild = [...this.children].map(([childId, categories]) => ({
      childId,
      categories: [...categories].sort(),
    }));
    const perPupil = [...this.pupils].map(([subjectUpn, categories]) => ({
      childId: null,
      subjectUpn,
      categories: [...categories].sort(),
    }));
    return [...perChild, ...perPupil, ...this.others];
  }
}

/** Reads a trail back out of a subgraph response's extensions (the gateway side). */
export function auditEntriesFrom(extensions: unknown): AuditEntry[] {
  if (!extensions || typeof extensions !== 'object') return [];
  const value = (extensions as Record<string, unknown>)[AUDIT_EXTENSION];
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is AuditEntry =>
      typeof entry === 'object' &&
      entry !== null &&
      (typeof (entry as AuditEntry).childId === 'string' ||
        (entry as AuditEntry).childId === null) &&
      Array.isArray((entry as AuditEntry).categories),
  );
}
