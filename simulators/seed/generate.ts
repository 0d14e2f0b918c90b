/**
 * The deterministic synthetic world: one authority's children looked after as its social
 * care, education and finance systems each hold them, and the personas who use CLA Graph.
 * Same options, same world: every draw comes from a PRNG seeded by `options.seed`, and
 * `options.asOf` is the only notion of today.
 */
import { isoToDayNumber } from '../../domain/school-calendar';
import { generateAggregates } from './aggregates';
import { allocateWorkers, markRestricted } from './allocation';
import { DEFAULT_AUTHORITY } from './authorities';
import { draftChild, type ChildDraft } from './children';
import { makeContext } from './context';
import { assignEducation, ensurePermanentExclusion, generateCola } from './education';
import { generateFinance } from './finance';
import { assignLinkOfficers } from './link-officers';
import { generateGrants } from './ntk';
import { buildPeps } from './peps';
import { bindPersonas, describePersonas } from './personas';
import { generateSchools } from './schools';
import { generateStaff } from './staff';
import type { StudentEnv, StudentSpec } from './students';
import { UpnAllocator } from './upn';
import { generateWorkers } from './workers';
import type { ScPep } from '../../upstream/social-care/contract';
import type { GenerateOptions, StudentFull, World } from './world';

export const MIN_CHILDREN = 50;
export const MAX_CHILDREN = 100_000;

function validate(options: GenerateOptions): void {
  const { children, seed, asOf, la } = options;
  if (!Number.isInteger(children) || children < MIN_CHILDREN || children > MAX_CHILDREN) {
    throw new RangeError(
      `generateWorld: children must be a whole number from ${MIN_CHILDREN} to ${MAX_CHILDREN}, got ${children}`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(
      `generateWorld: seed must be a whole number from 0 to 2^32-1, got ${seed}`,
    );
  }
  try {
    isoToDayNumber(asOf);
  } catch {
    throw new RangeError(
      `generateWorld: asOf must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(asOf)}`,
    );
  }
  if (asOf < '2000-01-01' || asOf > '2099-12-31') {
    throw new RangeError(`generateWorld: asOf must be in 2000-2099, got ${asOf}`);
  }
  if (la && !/^\d{3}$/.test(la.code)) {
    throw new RangeError(`generateWorld: la.code must be 3 digits, got ${JSON.stringify(la.code)}`);
  }
}

export function generateWorld(options: GenerateOptions): World {
  validate(options);
  const la = options.la ?? DEFAULT_AUTHORITY;
  const ctx = makeContext(options.seed, options.asOf, la);

  // Schools and their staff.
  const dir = generateSchools(ctx, options.children);
  const staff = generateStaff(ctx, dir);

  // Children, their workers, and the restricted records.
  const drafts: ChildDraft[] = [];
  for (let i = 0; i < options.children; i++) drafts.push(draftChild(ctx, i));
  const currentCount = drafts.filter((d) => d.current).length;
  const workforce = generateWorkers(ctx, currentCount, options.children);
  allocateWorkers(ctx, drafts, workforce);
  assignLinkOfficers(dir, workforce);
  const socialWorkerId = markRestricted(ctx, drafts);

  // The pupil database: our children by UPN, then children other authorities look after.
  const env: StudentEnv = { ctx, dir, upns: new UpnAllocator() };
  const specs = new Map<string, StudentSpec>();
  for (const d of drafts) {
    const spec = assignEducation(env, d);
    if (spec) specs.set(d.child.CHILD, spec);
  }
  ensurePermanentExclusion(env, drafts, specs);
  const cola = generateCola(env, options.children);

  // PEPs (they name the school the child was at on the day).
  const pepsByChild = new Map<string, ScPep[]>();
  const pepSeq = { next: 1 };
  const pepRng = ctx.rng.fork('peps');
  for (const d of drafts) {
    const peps = buildPeps(pepRng.fork(d.child.CHILD), { ctx, seq: pepSeq }, d);
    if (peps.length > 0) pepsByChild.set(d.child.CHILD, peps);
  }

  const grants = generateGrants(ctx, drafts, staff.bySchool, pepsByChild);
  const students: StudentFull[] = [];
  for (const d of drafts) if (d.student) students.push(d.student);
  students.push(...cola);

  const personas = bindPersonas({
    ctx,
    env,
    drafts,
    students,
    staff,
    grants,
    workforce,
    socialWorkerId,
    pepsByChild,
  });

  const world: World = {
    asOf: options.asOf,
    seed: options.seed,
    la: { code: la.code, name: la.name },
    socialCare: {
      children: drafts.map((d) => d.child),
      episodes: drafts.flatMap((d) => d.episodes),
      placements: drafts.flatMap((d) => d.placements),
      workers: workforce.workers,
      peps: drafts.flatMap((d) => pepsByChild.get(d.child.CHILD) ?? []),
    },
    education: {
      schools: dir.all.map((s) => s.school),
      students,
      staff: staff.staff,
      designatedTeachers: staff.designatedTeachers,
      aggregates: generateAggregates(ctx, dir),
    },
    finance: generateFinance(ctx, drafts, pepsByChild),
    needToKnow: grants,
    personas,
  };
  describePersonas(world);
  return world;
}

export type { GenerateOptions, World } from './world';
