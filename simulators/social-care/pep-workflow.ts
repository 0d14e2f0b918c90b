/**
 * The PEP workflow's writes, as the case system takes them: a draft for a meeting, the draft
 * changed (optimistic VERSION), targets of a completed PEP reviewed at a later meeting, the
 * PEP completed and signed off, and quality-assured by the Virtual School. Every check runs
 * before anything changes, so a refused write (400 naming every bad field, 404, 409 with its
 * code) leaves the store and the change feed as they were; a write that changes nothing (the
 * same request again) logs nothing. Every change bumps VERSION and logs a `pep` change.
 */
import type {
  ScPep,
  ScPepCompletePost,
  ScPepConflictCode,
  ScPepDraftPost,
  ScPepDraftPut,
  ScPepQualityAssurance,
  ScPepTarget,
  ScPepTargetInput,
  ScPepTargetReviewsPost,
  ScWriteResult,
} from '../../upstream/social-care/contract';
import { latestToday } from '../common/change-log';
import { badRequest, conflict, notFound } from '../common/errors';
import type { SocialCareStore } from './store';
import type { SocialCareWrites } from './writes';

type Problem = [field: string, message: string];

/** One 400 naming every field at fault (the same shape as a body that fails its schema). */
function refuseIfAny(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw badRequest(
    `Invalid body: ${problems.map(([field, message]) => `${field}: ${message}`).join('; ')}`,
    [...new Set(problems.map(([field]) => field))],
  );
}

function refuse(code: ScPepConflictCode, message: string): never {
  throw conflict(code, message);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The target ids of a PEP are `<PEP_ID>-T<n>`; the next n after every one it has had. */
function targetNumber(pepId: string, targetId: string): number {
  const match = /-T(\d+)$/.exec(targetId);
  return targetId.startsWith(pepId) && match ? Number(match[1]) : 0;
}

export class PepWorkflow {
  /** REQUEST_ID -> PEP_ID of the draft it made. */
  private readonly drafts = new Map<string, string>();
  /** The last PUT applied to each PEP and the VERSION it produced: its repeat is no change. */
  private readonly lastPut = new Map<string, { body: string; version: number }>();
  /** The highest target number each written PEP has used (ids are never reused). */
  private readonly targetSeq = new Map<string, number>();

  constructor(
    private readonly store: SocialCareStore,
    private readonly writes: SocialCareWrites,
    private readonly asOf: string,
  ) {}

  get(pepId: string | undefined): ScPep {
    const pep = this.store.pep(pepId ?? '');
    if (!pep) throw notFound(`No PEP ${pepId}`);
    return pep;
  }

  createDraft(childId: string | undefined, body: ScPepDraftPost): ScWriteResult<ScPep> {
    const made = this.drafts.get(body.REQUEST_ID);
    if (made !== undefined) return { data: this.get(made), meta: { changes: [] } };
    const child = this.store.child(childId ?? '');
    if (!child) throw notFound(`No child ${childId}`);
    const open = this.store.currentEpisode(child.CHILD);
    if (!open) refuse('NOT_LOOKED_AFTER', `Child ${child.CHILD} is not looked after now`);
    refuseIfAny(this.targetProblems(body.MEETING_DATE, body.TARGETS));

    const pepId = this.writes.newPepId();
    const peps = this.store.peps(child.CHILD);
    const periodStart = this.periodStart(child.CHILD);
    const pep: ScPep = {
      PEP_ID: pepId,
      CHILD: child.CHILD,
      MEETING_DATE: body.MEETING_DATE,
      INITIAL: !peps.some((p) => p.MEETING_DATE >= periodStart),
      STATUS: 'DRAFT',
      SCHOOL_URN: body.SCHOOL_URN,
      CHILD_VIEWS: body.CHILD_VIEWS,
      SUPPORT_STRATEGIES: [...body.SUPPORT_STRATEGIES],
      TARGETS: body.TARGETS.map((t) => this.newTarget(pepId, t)),
      ATTENDEES: body.ATTENDEES.map((a) => ({ ...a })),
      STRENGTHS: body.STRENGTHS,
      BARRIERS: body.BARRIERS,
      SIGN_OFF: [],
      QA: null,
      VERSION: 1,
      COMPLETED_ON: null,
    };
    this.drafts.set(body.REQUEST_ID, pepId);
    return this.save(null, pep);
  }

  updateDraft(pepId: string | undefined, body: ScPepDraftPut): ScWriteResult<ScPep> {
    const pep = this.get(pepId);
    const key = JSON.stringify(body);
    const last = this.lastPut.get(pep.PEP_ID);
    // The same PUT again, nothing changed since: it was applied once, and that is all.
    if (last && last.body === key && last.version === pep.VERSION) {
      return { data: pep, meta: { changes: [] } };
    }
    if (pep.STATUS !== 'DRAFT') refuse('NOT_DRAFT', `PEP ${pep.PEP_ID} is not a draft`);
    if (body.VERSION !== pep.VERSION) {
      refuse('STALE_VERSION', `PEP ${pep.PEP_ID} is at VERSION ${pep.VERSION}`);
    }
    const own = new Set(pep.TARGETS.map((t) => t.TARGET_ID));
    const seen = new Set<string>();
    const problems = this.targetProblems(body.MEETING_DATE, body.TARGETS);
    body.TARGETS.forEach((t, i) => {
      if (t.TARGET_ID === undefined) return;
      if (!own.has(t.TARGET_ID))
        problems.push([`TARGETS.${i}.TARGET_ID`, 'not a target of this PEP']);
      else if (seen.has(t.TARGET_ID)) problems.push([`TARGETS.${i}.TARGET_ID`, 'given twice']);
      seen.add(t.TARGET_ID);
    });
    refuseIfAny(problems);

    const kept = new Map(pep.TARGETS.map((t) => [t.TARGET_ID, t]));
    const targets: ScPepTarget[] = body.TARGETS.map(({ TARGET_ID: id, ...input }) => {
      const old = id === undefined ? undefined : kept.get(id);
      return old ? { ...old, ...input } : this.newTarget(pep.PEP_ID, input);
    });
    const next: ScPep = {
      ...pep,
      MEETING_DATE: body.MEETING_DATE,
      SCHOOL_URN: body.SCHOOL_URN,
      ATTENDEES: body.ATTENDEES.map((a) => ({ ...a })),
      CHILD_VIEWS: body.CHILD_VIEWS,
      STRENGTHS: body.STRENGTHS,
      BARRIERS: body.BARRIERS,
      SUPPORT_STRATEGIES: [...body.SUPPORT_STRATEGIES],
      TARGETS: targets,
    };
    if (same(next, pep)) return { data: pep, meta: { changes: [] } };
    const result = this.save(pep, { ...next, VERSION: pep.VERSION + 1 });
    this.lastPut.set(pep.PEP_ID, { body: key, version: result.data.VERSION });
    return result;
  }

  reviewTargets(pepId: string | undefined, body: ScPepTargetReviewsPost): ScWriteResult<ScPep> {
    const pep = this.get(pepId);
    if (pep.STATUS === 'DRAFT') {
      refuse('NOT_COMPLETE', `PEP ${pep.PEP_ID} is a draft: only a completed PEP is reviewed`);
    }
    const problems: Problem[] = [];
    const at = this.store.pep(body.AT_PEP_ID);
    if (!at || at.CHILD !== pep.CHILD) {
      problems.push(['AT_PEP_ID', 'not a PEP of the same child']);
    } else if (at.MEETING_DATE <= pep.MEETING_DATE) {
      problems.push(['AT_PEP_ID', 'must be a later meeting than the PEP reviewed']);
    }
    if (body.REVIEWED_ON > this.today())
      problems.push(['REVIEWED_ON', 'must not be in the future']);
    if (body.REVIEWED_ON < pep.MEETING_DATE) {
      problems.push(['REVIEWED_ON', `must not be before the PEP's meeting (${pep.MEETING_DATE})`]);
    }
    const own = new Set(pep.TARGETS.map((t) => t.TARGET_ID));
    const seen = new Set<string>();
    body.REVIEWS.forEach((r, i) => {
      if (!own.has(r.TARGET_ID))
        problems.push([`REVIEWS.${i}.TARGET_ID`, 'not a target of this PEP']);
      else if (seen.has(r.TARGET_ID)) problems.push([`REVIEWS.${i}.TARGET_ID`, 'given twice']);
      seen.add(r.TARGET_ID);
    });
    refuseIfAny(problems);

    const reviews = new Map(body.REVIEWS.map((r) => [r.TARGET_ID, r]));
    const targets = pep.TARGETS.map((t): ScPepTarget => {
      const r = reviews.get(t.TARGET_ID);
      if (!r) return t;
      return {
        ...t,
        STATUS: r.OUTCOME === 'MET' ? 'ACHIEVED' : t.STATUS,
        REVIEW: {
          OUTCOME: r.OUTCOME,
          COMMENT: r.COMMENT,
          REVIEWED_ON: body.REVIEWED_ON,
          REVIEWED_AT_PEP_ID: body.AT_PEP_ID,
        },
      };
    });
    if (same(targets, pep.TARGETS)) return { data: pep, meta: { changes: [] } };
    return this.save(pep, { ...pep, TARGETS: targets, VERSION: pep.VERSION + 1 });
  }

  complete(pepId: string | undefined, body: ScPepCompletePost): ScWriteResult<ScPep> {
    const pep = this.get(pepId);
    if (pep.STATUS !== 'DRAFT') {
      if (pep.COMPLETED_ON === body.COMPLETED_ON && same(pep.SIGN_OFF, body.SIGN_OFF)) {
        return { data: pep, meta: { changes: [] } };
      }
      refuse('NOT_DRAFT', `PEP ${pep.PEP_ID} is completed already`);
    }
    const problems: Problem[] = [];
    if (body.COMPLETED_ON > this.today())
      problems.push(['COMPLETED_ON', 'must not be in the future']);
    if (body.COMPLETED_ON < pep.MEETING_DATE) {
      problems.push(['COMPLETED_ON', `must not be before the meeting (${pep.MEETING_DATE})`]);
    }
    const roles = new Set(body.SIGN_OFF.map((s) => s.ROLE));
    const missing = (['DESIGNATED_TEACHER', 'SOCIAL_WORKER'] as const).filter((r) => !roles.has(r));
    if (missing.length > 0) problems.push(['SIGN_OFF', `must include ${missing.join(' and ')}`]);
    body.SIGN_OFF.forEach((s, i) => {
      if (s.SIGNED_ON > this.today()) {
        problems.push([`SIGN_OFF.${i}.SIGNED_ON`, 'must not be in the future']);
      }
    });
    refuseIfAny(problems);
    const lacking = [
      pep.ATTENDEES.length === 0 ? 'an attendee' : null,
      pep.TARGETS.length === 0 ? 'a target' : null,
      (pep.CHILD_VIEWS ?? '').trim() === '' ? "the child's views (or why not)" : null,
    ].filter((part): part is string => part !== null);
    if (lacking.length > 0) {
      refuse('INCOMPLETE', `PEP ${pep.PEP_ID} lacks ${lacking.join(', ')}`);
    }
    return this.save(pep, {
      ...pep,
      STATUS: 'COMPLETE',
      COMPLETED_ON: body.COMPLETED_ON,
      SIGN_OFF: body.SIGN_OFF.map((s) => ({ ...s })),
      VERSION: pep.VERSION + 1,
    });
  }

  qualityAssure(pepId: string | undefined, body: ScPepQualityAssurance): ScWriteResult<ScPep> {
    const pep = this.get(pepId);
    if (pep.STATUS === 'DRAFT') {
      refuse('NOT_COMPLETE', `PEP ${pep.PEP_ID} is a draft: only a completed PEP is assured`);
    }
    if (same(pep.QA, body)) return { data: pep, meta: { changes: [] } };
    const problems: Problem[] = [];
    if (body.RATED_ON > this.today()) problems.push(['RATED_ON', 'must not be in the future']);
    if (pep.COMPLETED_ON !== null && body.RATED_ON < pep.COMPLETED_ON) {
      problems.push(['RATED_ON', `must not be before the PEP was completed (${pep.COMPLETED_ON})`]);
    }
    refuseIfAny(problems);
    return this.save(pep, {
      ...pep,
      // RED returns the PEP to those who wrote it: complete, not approved.
      STATUS: body.RATING === 'RED' ? 'COMPLETE' : 'QA_APPROVED',
      QA: { ...body },
      VERSION: pep.VERSION + 1,
    });
  }

  /** Dates of the targets: a review after the meeting it was set at. */
  private targetProblems(meeting: string, targets: readonly ScPepTargetInput[]): Problem[] {
    const problems: Problem[] = [];
    targets.forEach((t, i) => {
      if (t.REVIEW_DATE !== null && t.REVIEW_DATE <= meeting) {
        problems.push([`TARGETS.${i}.REVIEW_DATE`, 'must be after the meeting']);
      }
    });
    return problems;
  }

  private newTarget(pepId: string, input: ScPepTargetInput): ScPepTarget {
    const pep = this.store.pep(pepId);
    const used = Math.max(
      this.targetSeq.get(pepId) ?? 0,
      ...(pep?.TARGETS ?? []).map((t) => targetNumber(pepId, t.TARGET_ID)),
    );
    this.targetSeq.set(pepId, used + 1);
    return {
      TARGET_ID: `${pepId}-T${used + 1}`,
      AREA: input.AREA,
      DESCRIPTION: input.DESCRIPTION,
      SUCCESS_MEASURE: input.SUCCESS_MEASURE,
      OWNER: input.OWNER,
      REVIEW_DATE: input.REVIEW_DATE,
      PP_PLUS_REQUEST_PENCE: input.PP_PLUS_REQUEST_PENCE,
      STATUS: 'NOT_STARTED',
      REVIEW: null,
    };
  }

  /** Stores the PEP (in meeting-date order) and logs it as a `pep` change. */
  private save(old: ScPep | null, pep: ScPep): ScWriteResult<ScPep> {
    const peps = this.store.peps(pep.CHILD);
    const next = [...peps.filter((p) => p !== old), pep].sort((a, b) =>
      a.MEETING_DATE.localeCompare(b.MEETING_DATE),
    );
    this.store.setPeps(pep.CHILD, next, this.today());
    return { data: pep, meta: { changes: this.writes.log.append({ kind: 'pep', record: pep }) } };
  }

  private today(): string {
    return latestToday(this.asOf);
  }

  private periodStart(childId: string): string {
    const episodes = this.store.episodes(childId);
    const first = [...episodes].reverse().find((e) => e.RNE === 'S') ?? episodes[0];
    return first?.DECOM ?? '';
  }
}
