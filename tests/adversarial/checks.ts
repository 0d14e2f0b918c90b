/**
 * Sends one generated operation as one generated caller through the gateway and checks the
 * answer against the oracle. Returns every violation found, each tagged with the property it
 * breaks, so each jest property asserts its own class and shrinks to its own counterexample.
 */
import {
  CHILD_FIELDS,
  NTK_PUPIL_FIELDS,
  PUPIL_FIELDS,
  covers,
  valueAt,
  type ChildField,
  type FieldSpec,
  type PupilField,
} from './fields';
import { NONEXISTENT_ID, NONEXISTENT_UPN, render, type Operation } from './generators';
import type { HttpAnswer, Harness } from './harness';
import {
  filterCategories,
  matchesFilter,
  type Caller,
  type Cat,
  type ChildFacts,
  type Oracle,
  type Role,
} from './oracle';

export type PropertyClass =
  | 'scope'
  | 'categories'
  | 'filters'
  | 'filter-refusal'
  | 'counts'
  | 'existence'
  | 'visible'
  | 'audit'
  | 'entry-points';

export interface Violation {
  property: PropertyClass;
  message: string;
}

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string } }>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function body(answer: HttpAnswer): GqlBody {
  return isObj(answer.json) ? (answer.json as GqlBody) : {};
}

function codes(answer: HttpAnswer): string[] {
  return (body(answer).errors ?? []).map((e) => e.extensions?.code ?? '?');
}

/** One read of a child (or another authority's pupil) that must be in the access log. */
interface Read {
  /** The request that read it (its X-Request-Id); set once the answer has been checked. */
  requestId?: string | null;
  childId: string | null;
  upn: string | null;
  used: Cat[][];
}

/** The roles alerts are routed to (access.md: never a teacher, governor, analyst, finance officer...). */
const ALERT_RECIPIENTS: readonly Role[] = [
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
];

export class Checker {
  private readonly oracle: Oracle;
  /** Child records (and pupils) checked so far: a property that never sees one proves nothing. */
  recordsChecked = 0;

  constructor(
    private readonly h: Harness,
    private readonly enabled: ReadonlySet<PropertyClass>,
  ) {
    this.oracle = h.oracle;
  }

  async run(caller: Caller, op: Operation): Promise<Violation[]> {
    const out: Violation[] = [];
    const add = (property: PropertyClass, message: string) => {
      if (this.enabled.has(property)) out.push({ property, message });
    };
    const started = new Date(Date.now() - 2_000).toISOString();
    const reads: Read[] = [];
    const answers: HttpAnswer[] = [];

    if (op.kind === 'rest') {
      const answer = await this.h.get(caller, op.path);
      answers.push(answer);
      this.checkRest(caller, op.path, answer, add);
    } else if (op.kind === 'children') {
      await this.runChildren(caller, op, add, reads, answers);
    } else {
      const { query, variables } = render(op);
      const answer = await this.h.graphql(caller, query, variables);
      answers.push(answer);
      const data = body(answer).data ?? null;
      if (op.kind === 'child') {
        const node = data?.child;
        if (isObj(node)) this.checkChildNode(caller, node, op.fields, 'child', add, reads);
        const facts = this.oracle.childById.get(op.id);
        if (!isObj(node) && facts && this.oracle.verdict(caller, facts) === 'IN')
          add(
            'visible',
            `child(id: ${op.id}) answered null (errors [${codes(answer).join(',')}]) though the caller's roles put it in scope (${describeChild(facts)})`,
          );
        if (this.enabled.has('existence'))
          await this.checkExistence(caller, op, op.id, answer, add);
      } else if (op.kind === 'school') {
        this.checkSchool(caller, op.pupilFields, op.childFields, data, add, reads);
      } else if (op.kind === 'ntk') {
        if (this.enabled.has('existence'))
          await this.checkExistence(caller, op, op.childId, answer, add);
      } else if (op.kind === 'ntkByUpn') {
        if (this.enabled.has('existence')) await this.checkUpnExistence(caller, op, answer, add);
      } else if (op.kind === 'ntkPupils') {
        this.checkNtkPupils(caller, answer, add, reads);
      } else {
        this.checkEntryPoint(caller, op, answer, add);
      }
      tagReads(reads, answer);
    }

    if (this.enabled.has('scope')) {
      for (const answer of answers) this.checkText(caller, op, answer.text, add);
    }
    if (this.enabled.has('audit') && reads.length > 0) {
      await this.checkAudit(caller, reads, started, add);
    }
    return out;
  }

  /** Every child or pupil the caller must not see, by any identifier, anywhere in the answer. */
  private checkText(
    caller: Caller,
    op: Operation,
    text: string,
    add: (p: PropertyClass, m: string) => void,
  ) {
    const o = this.oracle;
    const supplied = new Set<string>();
    if (op.kind === 'child') supplied.add(op.id);
    if (op.kind === 'ntk') supplied.add(op.childId);
    if (op.kind === 'ntkByUpn') supplied.add(op.upn);
    if (op.kind === 'alerts' && op.filter.childId) supplied.add(op.filter.childId);
    if (op.kind === 'accessLog') {
      if (op.filter.childId) supplied.add(op.filter.childId);
      if (op.filter.upn) supplied.add(op.filter.upn);
    }
    const restAudit = op.kind === 'rest' ? /^\/audit\/children\/(\d+)\//.exec(op.path) : null;
    if (restAudit) supplied.add(restAudit[1]!);

    // Which children's identifiers may appear at all, by entry point.
    let childOk: (c: ChildFacts) => boolean;
    let colaOk: (upn: string) => boolean;
    const auditor = o.hasEffective(caller, 'auditor');
    const head = o.hasEffective(caller, 'virtual-school-head');
    const childData =
      op.kind === 'child' ||
      op.kind === 'children' ||
      op.kind === 'school' ||
      op.kind === 'alerts' ||
      op.kind === 'ntkPupils';
    if (childData || op.kind === 'ntk' || op.kind === 'ntkByUpn') {
      childOk = (c) => o.verdict(caller, c) !== 'OUT';
      colaOk = (upn) => o.colaVerdict(caller, o.colaByUpn.get(upn)!) !== 'OUT';
    } else if (op.kind === 'accessLog' || restAudit) {
      childOk = () => auditor || head;
      colaOk = () => auditor;
    } else {
      // Register, reports, chase list, register updates: never a child's data.
      childOk = () => false;
      colaOk = () => false;
    }
    for (const c of o.children) {
      if (childOk(c)) continue;
      const hits: string[] = [];
      if (!supplied.has(c.id) && new RegExp(`(?<![0-9])${c.id}(?![0-9])`).test(text))
        hits.push(`id ${c.id}`);
      if (!c.upn.startsWith('UN') && !supplied.has(c.upn) && text.includes(c.upn))
        hits.push(`UPN ${c.upn}`);
      const name = `${c.forename} ${c.surname}`;
      if (o.uniqueNames.has(name) && text.includes(name)) hits.push(`name ${name}`);
      if (hits.length)
        add(
          'scope',
          `child ${c.id} (${describeChild(c)}) is outside the caller's scope, yet the answer holds its ${hits.join(', ')}`,
        );
    }
    for (const p of o.cola) {
      if (colaOk(p.upn)) continue;
      const name = `${p.forename} ${p.surname}`;
      if (
        (!supplied.has(p.upn) && text.includes(p.upn)) ||
        (o.uniqueNames.has(name) && text.includes(name))
      )
        add(
          'scope',
          `another authority's pupil ${p.upn} (on roll at ${p.rollUrns.join(',')}) is outside the caller's scope, yet appears in the answer`,
        );
    }
  }

  private checkChildNode(
    caller: Caller,
    node: Obj,
    fields: readonly ChildField[],
    where: string,
    add: (p: PropertyClass, m: string) => void,
    reads: Read[],
    filterCats: Cat[] = [],
  ): ChildFacts | null {
    const id = typeof node.id === 'string' ? node.id : null;
    const facts = id ? this.oracle.childById.get(id) : undefined;
    if (!facts) {
      add('scope', `${where}: a child record with unknown id ${String(id)} was returned`);
      return null;
    }
    const verdict = this.oracle.verdict(caller, facts);
    if (verdict === 'OUT') {
      add(
        'scope',
        `${where}: child ${facts.id} (${describeChild(facts)}) is outside the caller's per-role scope but was returned`,
      );
      return facts;
    }
    const { possible } = this.oracle.readable(caller, facts);
    const used: Cat[][] = filterCats.map((c) => [c]);
    for (const key of new Set<ChildField>(['id', ...fields])) {
      const spec: FieldSpec = CHILD_FIELDS[key];
      const value = valueAt(node, spec.path);
      if (value === null || value === undefined) continue;
      if (!spec.cats.some((c) => possible.has(c))) {
        add(
          'categories',
          `${where}: child ${facts.id} field ${key} (${spec.cats.join('|')}) returned ${JSON.stringify(value).slice(0, 120)}, but for this child the caller may read only [${[...possible].join(' ')}] (${describeChild(facts)})`,
        );
      } else used.push([...spec.cats]);
    }
    reads.push({ childId: facts.id, upn: null, used });
    this.recordsChecked += 1;
    return facts;
  }

  private checkSchool(
    caller: Caller,
    pupilFields: readonly PupilField[],
    childFields: readonly ChildField[] | null,
    data: Obj | null,
    add: (p: PropertyClass, m: string) => void,
    reads: Read[],
  ) {
    const school = data?.school;
    if (!isObj(school) || !Array.isArray(school.lookedAfterPupils)) return;
    for (const pupil of school.lookedAfterPupils as Obj[]) {
      const upn = String(pupil.upn);
      const ours = this.oracle.children.find((c) => c.upn === upn && !c.upn.startsWith('UN'));
      const cola = this.oracle.colaByUpn.get(upn);
      let possible: Set<Cat>;
      let label: string;
      if (ours) {
        if (this.oracle.verdict(caller, ours) === 'OUT') {
          add(
            'scope',
            `school.lookedAfterPupils lists child ${ours.id} (${describeChild(ours)}), outside the caller's per-role scope`,
          );
          continue;
        }
        possible = this.oracle.readable(caller, ours).possible;
        label = `child ${ours.id}`;
      } else if (cola) {
        if (this.oracle.colaVerdict(caller, cola) === 'OUT') {
          add(
            'scope',
            `school.lookedAfterPupils lists another authority's pupil ${upn} (on roll at ${cola.rollUrns.join(',')}), outside the caller's scope`,
          );
          continue;
        }
        possible = this.oracle.colaReadable(caller, cola);
        label = `pupil ${upn}`;
      } else {
        add(
          'scope',
          `school.lookedAfterPupils lists a UPN ${upn} the world does not know as looked after`,
        );
        continue;
      }
      const used: Cat[][] = [['ID']];
      if (!possible.has('ID'))
        add(
          'categories',
          `school.lookedAfterPupils: ${label} UPN (ID) returned; caller may read [${[...possible].join(' ')}]`,
        );
      for (const key of pupilFields) {
        const spec: FieldSpec = PUPIL_FIELDS[key];
        const value = valueAt(pupil, spec.path);
        if (value === null || value === undefined) continue;
        if (!spec.cats.some((c) => possible.has(c)))
          add(
            'categories',
            `school.lookedAfterPupils: ${label} field ${key} (${spec.cats.join('|')}) returned; caller may read [${[...possible].join(' ')}]`,
          );
        else used.push([...spec.cats]);
      }
      reads.push({ childId: ours?.id ?? null, upn, used });
      this.recordsChecked += 1;
      if (childFields && isObj(pupil.child)) {
        if (!ours)
          add(
            'scope',
            `school.lookedAfterPupils: another authority's pupil ${upn} has a social care record here`,
          );
        else
          this.checkChildNode(
            caller,
            pupil.child,
            childFields,
            `school.lookedAfterPupils[${upn}].child`,
            add,
            reads,
          );
      }
    }
  }

  private async runChildren(
    caller: Caller,
    op: Extract<Operation, { kind: 'children' }>,
    add: (p: PropertyClass, m: string) => void,
    reads: Read[],
    answers: HttpAnswer[],
  ) {
    const o = this.oracle;
    const F = filterCategories(op.filter);
    const refused = F.filter((c) => !o.anyRoleMayRead(caller, c));
    const definite: ChildFacts[] = [];
    const possibleSet = new Set<string>();
    for (const c of o.children) {
      if (!matchesFilter(c, op.filter)) continue;
      const verdict = o.verdict(caller, c);
      if (verdict === 'OUT') continue;
      const { sure, possible } = o.readable(caller, c);
      if (F.every((cat) => possible.has(cat))) possibleSet.add(c.id);
      if (verdict === 'IN' && F.every((cat) => sure.has(cat))) definite.push(c);
    }

    const listed: string[] = [];
    let after: string | undefined;
    let complete = false;
    let totals: number[] = [];
    for (let page = 0; page < op.pages; page += 1) {
      const { query, variables } = render(op, after);
      const answer = await this.h.graphql(caller, query, variables);
      answers.push(answer);
      const conn = body(answer).data?.children;
      if (refused.length > 0 && (isObj(conn) || !codes(answer).includes('FORBIDDEN')))
        add(
          'filter-refusal',
          `filter on ${refused.join(',')} (no effective role of the caller may read it) was not refused with FORBIDDEN and no data: status ${answer.status}, errors [${codes(answer).join(',')}], totalCount ${isObj(conn) ? String(conn.totalCount) : '-'}, ${isObj(conn) && Array.isArray(conn.edges) ? conn.edges.length : 0} children`,
        );
      if (!isObj(conn)) {
        if (refused.length === 0 && definite.length > 0)
          add(
            'filter-refusal',
            `children was refused (status ${answer.status}, errors [${codes(answer).join(',')}]) though the caller may list ${definite.length} children with this filter (e.g. ${definite[0]!.id})`,
          );
        return;
      }
      totals.push(Number(conn.totalCount));
      const edges = Array.isArray(conn.edges) ? (conn.edges as Obj[]) : [];
      for (const edge of edges) {
        const node = edge.node;
        if (!isObj(node)) continue;
        const facts = this.checkChildNode(caller, node, op.fields, 'children', add, reads, F);
        if (!facts) continue;
        listed.push(facts.id);
        if (o.verdict(caller, facts) === 'OUT') continue;
        if (!matchesFilter(facts, op.filter))
          add(
            'filters',
            `children returned ${facts.id}, which does not match the filter (${describeChild(facts)})`,
          );
        else if (!possibleSet.has(facts.id)) {
          const { possible } = o.readable(caller, facts);
          add(
            'filters',
            `children returned ${facts.id} for a filter on [${F.join(',')}], but for this child the caller may read only [${[...possible].join(' ')}] (${describeChild(facts)})`,
          );
        }
      }
      tagReads(reads, answer);
      const pageInfo = isObj(conn.pageInfo) ? conn.pageInfo : {};
      if (pageInfo.hasNextPage !== true) {
        complete = true;
        break;
      }
      after = typeof pageInfo.endCursor === 'string' ? pageInfo.endCursor : undefined;
      if (!after) break;
    }
    totals = [...new Set(totals)];
    for (const total of totals) {
      if (total < definite.length || total > possibleSet.size)
        add(
          'counts',
          `children totalCount ${total}; the caller may list between ${definite.length} and ${possibleSet.size} children with this filter (in scope, filter categories readable)`,
        );
    }
    if (complete) {
      if (totals.length === 1 && totals[0] !== listed.length)
        add(
          'counts',
          `children totalCount ${totals[0]} but ${listed.length} children listed over all pages`,
        );
      const missing = definite.filter((c) => !listed.includes(c.id));
      if (missing.length)
        add(
          'counts',
          `children left out ${missing.length} children the caller may list with this filter, e.g. ${missing[0]!.id} (${describeChild(missing[0]!)})`,
        );
    }
  }

  /**
   * By UPN (issue 15): a pupil whose list the caller may not change (another school's, our own
   * child's UPN: their list is by child id) answers exactly as a UPN nobody has.
   */
  private async checkUpnExistence(
    caller: Caller,
    op: Extract<Operation, { kind: 'ntkByUpn' }>,
    answer: HttpAnswer,
    add: (p: PropertyClass, m: string) => void,
  ) {
    if (op.upn === NONEXISTENT_UPN) return;
    const cola = this.oracle.colaByUpn.get(op.upn);
    if (cola && this.oracle.colaNtkChangeable(caller, cola)) return;
    const { query, variables } = render({ ...op, upn: NONEXISTENT_UPN });
    const other = await this.h.graphql(caller, query, variables);
    const a = JSON.stringify({ status: answer.status, body: answer.json });
    const b = JSON.stringify({ status: other.status, body: other.json });
    if (a !== b)
      add(
        'existence',
        `${cola ? `another authority's pupil ${op.upn}, whose list the caller may not change,` : `our child's UPN ${op.upn}`} answers ${a.slice(0, 400)}; a UPN nobody has (${NONEXISTENT_UPN}) answers ${b.slice(0, 400)}`,
      );
  }

  /**
   * A teacher's other-authority pupils on their need-to-know lists: teachers only; each pupil
   * listed is another authority's, in the teacher role's scope (named by UPN, on roll at the
   * teacher's school), with only the categories a teacher reads; every pupil the caller was
   * named for at one of their schools through the graph is there.
   */
  private checkNtkPupils(
    caller: Caller,
    answer: HttpAnswer,
    add: (p: PropertyClass, m: string) => void,
    reads: Read[],
  ) {
    const o = this.oracle;
    const list = body(answer).data?.needToKnowPupils;
    if (!o.hasEffective(caller, 'teacher')) {
      if (Array.isArray(list) || !codes(answer).includes('FORBIDDEN'))
        add(
          'entry-points',
          `needToKnowPupils should be FORBIDDEN with no data for a caller who is not a teacher here; got status ${answer.status}, errors [${codes(answer).join(',')}], data ${JSON.stringify(list ?? null).slice(0, 200)}`,
        );
      return;
    }
    const owed = o
      .pupilGrants()
      .filter((grant) => grant.staffId === caller.sub && caller.urns.includes(grant.urn));
    if (!Array.isArray(list)) {
      // No list at all is only wrong when there was someone to list (a `sub` that is not a
      // staff id is refused by the store's validation, as for our children's lists).
      if (owed.length > 0)
        add(
          'visible',
          `needToKnowPupils gave a teacher named on a list no list (errors [${codes(answer).join(',')}])`,
        );
      return;
    }
    const listed = new Set<string>();
    for (const node of list as Obj[]) {
      const upn = String(node.upn);
      listed.add(upn);
      const cola = o.colaByUpn.get(upn);
      if (!cola || !o.colaRoles(caller, cola).includes('teacher')) {
        add(
          'scope',
          `needToKnowPupils lists ${upn}, which is not another authority's pupil on roll at the caller's school whose list names them`,
        );
        continue;
      }
      const possible = o.colaReadable(caller, cola);
      const used: Cat[][] = [];
      for (const [key, spec] of Object.entries(NTK_PUPIL_FIELDS) as [string, FieldSpec][]) {
        const value = valueAt(node, spec.path);
        if (value === null || value === undefined) continue;
        if (!spec.cats.some((c) => possible.has(c)))
          add(
            'categories',
            `needToKnowPupils: pupil ${upn} field ${key} (${spec.cats.join('|')}) returned; caller may read [${[...possible].join(' ')}]`,
          );
        else used.push([...spec.cats]);
      }
      reads.push({ childId: null, upn, used });
      this.recordsChecked += 1;
    }
    for (const grant of owed) {
      if (!listed.has(grant.upn))
        add(
          'visible',
          `needToKnowPupils leaves out ${grant.upn}, whose list names the caller at their school ${grant.urn}`,
        );
    }
  }

  /** Out of scope must answer exactly as a child that does not exist. */
  private async checkExistence(
    caller: Caller,
    op: Operation,
    id: string,
    answer: HttpAnswer,
    add: (p: PropertyClass, m: string) => void,
  ) {
    const facts = this.oracle.childById.get(id);
    if (!facts || this.oracle.verdict(caller, facts) !== 'OUT') return;
    const ghost =
      op.kind === 'child'
        ? { ...op, id: NONEXISTENT_ID }
        : op.kind === 'ntk'
          ? { ...op, childId: NONEXISTENT_ID }
          : op;
    const { query, variables } = render(ghost);
    const other = await this.h.graphql(caller, query, variables);
    const a = JSON.stringify({ status: answer.status, body: answer.json });
    const b = JSON.stringify({ status: other.status, body: other.json });
    if (a !== b)
      add(
        'existence',
        `out-of-scope child ${id} (${describeChild(facts)}) answers ${a.slice(0, 400)}; a child that does not exist (${NONEXISTENT_ID}) answers ${b.slice(0, 400)}`,
      );
  }

  private async checkAudit(
    caller: Caller,
    reads: Read[],
    from: string,
    add: (p: PropertyClass, m: string) => void,
  ) {
    // A sample (each read costs a look-up): the first three and the last (a later page's).
    const sample = reads.length > 4 ? [...reads.slice(0, 3), reads[reads.length - 1]!] : reads;
    for (const read of sample) {
      const requestId = read.requestId;
      if (!requestId) {
        add(
          'audit',
          'the answer carries no X-Request-Id, so its access-log events cannot be found',
        );
        return;
      }
      // A read may be logged by social care id, by UPN, or both: take every event of the request.
      const events = [
        ...(read.childId ? await this.h.auditEvents({ childId: read.childId }, from) : []),
        ...(read.upn ? await this.h.auditEvents({ upn: read.upn }, from) : []),
      ].filter((e) => e.requestId === requestId);
      const who = read.childId ? `child ${read.childId}` : `pupil ${read.upn}`;
      if (events.length === 0) {
        add(
          'audit',
          `${who} was read (request ${requestId}) but the access log has no event for it`,
        );
        continue;
      }
      if (!events.some((e) => e.actor.sub === caller.sub))
        add(
          'audit',
          `${who}: the access-log event names actor ${events[0]!.actor.sub}, not the caller ${caller.sub}`,
        );
      const logged = [...new Set(events.flatMap((e) => e.categories))];
      const missing = read.used
        .filter((alts) => !covers(logged, alts))
        .map((alts) => alts.join('|'));
      if (missing.length)
        add(
          'audit',
          `${who}: categories used [${missing.join(', ')}] are not in the access log (logged [${logged.join(' ')}])`,
        );
    }
  }

  private checkEntryPoint(
    caller: Caller,
    op: Exclude<
      Operation,
      { kind: 'child' | 'children' | 'school' | 'ntk' | 'ntkByUpn' | 'ntkPupils' | 'rest' }
    >,
    answer: HttpAnswer,
    add: (p: PropertyClass, m: string) => void,
  ) {
    const o = this.oracle;
    const has = (r: Role) => o.hasEffective(caller, r);
    const data = body(answer).data ?? null;
    const refusedOk = (field: string) => data?.[field] === null || data?.[field] === undefined;
    const expectRefused = (field: string, why: string) => {
      if (!refusedOk(field) || !codes(answer).includes('FORBIDDEN'))
        add(
          'entry-points',
          `${field} should be FORBIDDEN with no data (${why}); got status ${answer.status}, errors [${codes(answer).join(',')}], data ${JSON.stringify(data?.[field] ?? null).slice(0, 200)}`,
        );
    };
    const colaUpns = new Set(o.cola.map((p) => p.upn));
    switch (op.kind) {
      case 'accessLog': {
        if (!has('auditor') && !has('virtual-school-head')) {
          expectRefused(
            'accessLog',
            "only this authority's auditors and virtual school head read the log",
          );
          return;
        }
        const log = data?.accessLog;
        if (!isObj(log) || has('auditor')) return;
        const edges = Array.isArray(log.edges) ? (log.edges as Obj[]) : [];
        for (const e of edges) {
          const n = isObj(e.node) ? e.node : {};
          if (typeof n.subjectUpn === 'string' && colaUpns.has(n.subjectUpn))
            add(
              'entry-points',
              `the head (not an auditor) reads an access-log event about another authority's pupil ${n.subjectUpn}`,
            );
          if (typeof n.childId === 'string' && !o.childById.has(n.childId))
            add(
              'entry-points',
              `the head reads an access-log event about ${n.childId}, not a child this authority looks after`,
            );
        }
        if (op.filter.upn && colaUpns.has(op.filter.upn) && Number(log.totalCount) > 0)
          add(
            'entry-points',
            `accessLog(filter: { upn }) tells the head (not an auditor) that another authority's pupil ${op.filter.upn} has ${String(log.totalCount)} events`,
          );
        return;
      }
      case 'cohortReport': {
        const urn = typeof op.filter.schoolUrn === 'string' ? op.filter.schoolUrn : null;
        const allowed =
          has('analyst') ||
          has('virtual-school-head') ||
          (has('governor') && urn !== null && caller.urns.includes(urn));
        if (!allowed) {
          expectRefused(
            'cohortReport',
            'reports are for analysts, the head, and governors of the school asked about',
          );
          return;
        }
        const report = data?.cohortReport;
        if (isObj(report)) this.checkReport(caller, report, add);
        return;
      }
      case 'designatedTeachers': {
        if (!REGISTER_READERS.some(has)) {
          expectRefused(
            'designatedTeachers',
            'analysts, auditors and finance officers do not read the register',
          );
          return;
        }
        const conn = data?.designatedTeachers;
        if (!isObj(conn)) return;
        for (const e of (Array.isArray(conn.edges) ? conn.edges : []) as Obj[]) {
          const n = isObj(e.node) ? e.node : {};
          if (n.inAuthority === false && !has('virtual-school-head'))
            add(
              'entry-points',
              `the register lists out-of-authority school ${String(n.urn)} (where a child is placed) to a caller who is not this authority's head`,
            );
          const mayHistory =
            has('virtual-school-head') ||
            (has('designated-teacher') && caller.urns.includes(String(n.urn)));
          if (op.history && n.history !== null && n.history !== undefined && !mayHistory)
            add(
              'entry-points',
              `register history of ${String(n.urn)} returned to a caller who is neither the head nor that school's designated teacher`,
            );
        }
        return;
      }
      case 'alerts': {
        const recipients = ALERT_RECIPIENTS.filter(has);
        if (recipients.length === 0) {
          expectRefused(
            'alerts',
            'alerts are for the head, officers, social workers and designated teachers only',
          );
          return;
        }
        const conn = data?.alerts;
        if (!isObj(conn)) {
          add(
            'entry-points',
            `alerts answered no data for a recipient role (errors [${codes(answer).join(',')}])`,
          );
          return;
        }
        for (const e of (Array.isArray(conn.edges) ? conn.edges : []) as Obj[]) {
          const n = isObj(e.node) ? e.node : {};
          const category = String(n.category) as Cat;
          const child = isObj(n.child) ? o.childById.get(String(n.child.id)) : undefined;
          if (isObj(n.child)) {
            this.recordsChecked += 1;
            if (!child || o.verdict(caller, child) === 'OUT') {
              add(
                'entry-points',
                `an alert (${String(n.type)}) about child ${String(n.child.id)}, outside the caller's scope`,
              );
            } else if (!o.readable(caller, child).possible.has(category)) {
              add(
                'entry-points',
                `an alert (${String(n.type)}, ${category}) about child ${child.id}, whose ${category} the caller may not read`,
              );
            }
          } else if (!has('virtual-school-head') && !has('virtual-school-officer')) {
            add(
              'entry-points',
              `an alert about a school (${String(n.type)}) to a caller who is neither the head nor an officer`,
            );
          }
        }
        return;
      }
      case 'chase':
        if (!has('virtual-school-head'))
          expectRefused('designatedTeachersToChase', 'the head only');
        return;
      case 'updateDesignatedTeacher':
        if (
          !has('virtual-school-head') &&
          !(has('designated-teacher') && caller.urns.includes(op.urn))
        )
          expectRefused(
            'updateDesignatedTeacher',
            "the head, or the school's own designated teacher, only",
          );
        return;
    }
  }

  private checkReport(caller: Caller, report: Obj, add: (p: PropertyClass, m: string) => void) {
    const o = this.oracle;
    // Only the head reads every child individually; an analyst's or a governor's report (even
    // with another role beside it: roles pair with their own scope) is a published snapshot.
    const individual = o.hasEffective(caller, 'virtual-school-head');
    if (!individual) {
      const snapshot = lastMonthEnd(o.world.asOf);
      for (const key of ['referenceDate', 'measuredTo'] as const)
        if (typeof report[key] === 'string' && (report[key] as string) > snapshot)
          add(
            'entry-points',
            `a caller without individual access gets a report with ${key} ${String(report[key])}, after the last published snapshot ${snapshot} (reports can be differenced day by day)`,
          );
    }
    const cells = [report.total, ...(Array.isArray(report.cells) ? report.cells : [])];
    for (const cell of cells) {
      if (!isObj(cell) || !isObj(cell.children)) continue;
      const f = cell.children;
      if (f.status === 'VALUE' && typeof f.value === 'number' && f.value >= 1 && f.value <= 5)
        add(
          'entry-points',
          `a report cell ${JSON.stringify(cell.bands ?? 'total')} counts ${f.value} children (1 to 5 must be suppressed)`,
        );
    }
  }

  private checkRest(
    caller: Caller,
    path: string,
    answer: HttpAnswer,
    add: (p: PropertyClass, m: string) => void,
  ) {
    const o = this.oracle;
    const has = (r: Role) => o.hasEffective(caller, r);
    const url = new URL(path, 'http://x');
    let allowed: boolean;
    let why: string;
    if (url.pathname.startsWith('/reports/')) {
      const urn = url.searchParams.get('schoolUrn');
      allowed =
        has('analyst') ||
        has('virtual-school-head') ||
        (has('governor') && urn !== null && caller.urns.includes(urn));
      why = 'reports are for analysts, the head, and governors of the school asked about';
      if (
        allowed &&
        answer.status === 200 &&
        isObj(answer.json) &&
        url.pathname.endsWith('.json')
      ) {
        const j = answer.json;
        const report = isObj(j.cohortReport) ? j.cohortReport : j;
        this.checkReport(caller, report, add);
      }
    } else if (url.pathname.startsWith('/register/')) {
      allowed = REGISTER_READERS.some(has);
      why = 'analysts, auditors and finance officers do not read the register';
      if (answer.status === 200 && !has('virtual-school-head')) {
        const outside = o.world.education.schools
          .filter((s) => s.la_code !== o.homeLa)
          .map((s) => s.urn);
        const leaked = outside.filter((u) => answer.text.includes(u));
        if (leaked.length)
          add(
            'entry-points',
            `the register export lists out-of-authority schools ${leaked.join(',')} to a caller who is not this authority's head`,
          );
      }
    } else {
      allowed = has('auditor') || has('virtual-school-head');
      why = "a child's access history is for this authority's auditors (and head)";
      // The head may read AUDIT; the product giving it only to auditors is stricter, and allowed.
      if (answer.status === 200 && !has('auditor') && has('virtual-school-head')) allowed = true;
    }
    if (!allowed && answer.status === 200)
      add('entry-points', `GET ${path} answered 200 (${answer.text.length} bytes) though ${why}`);
  }
}

function tagReads(reads: Read[], answer: HttpAnswer): void {
  for (const read of reads) if (read.requestId === undefined) read.requestId = answer.requestId;
}

const REGISTER_READERS: Role[] = [
  'placing-authority',
  'designated-teacher',
  'teacher',
  'governor',
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
];

/** The last day of the last completed month before `asOf`. */
function lastMonthEnd(asOf: string): string {
  const d = new Date(`${asOf.slice(0, 8)}01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

function describeChild(c: ChildFacts): string {
  return [
    c.current ? 'current' : 'ceased',
    c.restricted ? 'RESTRICTED' : null,
    `sw ${c.swId}`,
    `vs ${c.caseworkerId}`,
    `roll ${c.rollUrns.join('/') || '-'}`,
    `LS ${c.legalStatus}`,
    `PL ${c.placementType}`,
    c.outOfArea ? 'out of area' : 'in area',
    c.uasc ? 'UASC' : null,
    `age ${c.age}`,
  ]
    .filter(Boolean)
    .join(', ');
}
