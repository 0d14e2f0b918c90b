/**
 * Personal Education Plans for children looked after from age 3 to Year 13, shaped by the
 * shared rule (domain/measures/pep.ts): the first PEP by its deadline (20 school days after
 * entering care or turning 3 in care, 10 working days after an emergency placement) for most,
 * about 15% late; then one review a term. This term's review is held by today for a share of
 * children that grows as the term goes on (the rest are DUE); about 12% of current children
 * have had none this term or last (OVERDUE); recent entrants whose first PEP is not held yet
 * are NONE; about 45% of PEPs from the last 15 school days are still drafts (which do not
 * count). The case system keeps the initial PEP and the reviews since the start of the
 * previous academic year (older reviews are archived).
 */
import type { ScPep, ScPepTarget } from '../../upstream/social-care/contract';
import {
  addSchoolDays,
  nextTerm,
  previousTerm,
  schoolDaysBetween,
  schoolDaysInRange,
  termOf,
  yearGroupFor,
  yearGroupIndex,
} from '../../domain/school-calendar';
import { firstPep, pepFactsOf, type PepFacts } from '../../domain/measures/pep';
import { mainUrnOn } from './attendance';
import type { ChildDraft } from './children';
import {
  addDays,
  maxDate,
  minDate,
  randomSchoolDay,
  randomWeekday,
  type SeedContext,
} from './context';
import type { Rng } from './random';
import { Weighted, weighted } from './random';

type Stage = 'early' | 'primary' | 'secondary' | 'post16';

const TARGETS: Record<Stage, ReadonlyArray<readonly [string, readonly string[]]>> = {
  early: [
    [
      'Communication and language',
      ['Use simple sentences to ask for help', 'Join in with songs and rhymes at group time'],
    ],
    [
      'Personal, social and emotional',
      ['Settle at drop-off with a familiar adult', 'Take turns in small-group play'],
    ],
    [
      'Physical development',
      ['Use scissors and mark-making tools with control', 'Manage own coat and shoes'],
    ],
    [
      'Early literacy',
      ['Recognise own name and initial sounds', 'Share a book with an adult every day'],
    ],
  ],
  primary: [
    [
      'Reading',
      [
        'Read daily with carer and log it in the reading record',
        'Secure phonics phase 5 and read fluently at age-related level',
      ],
    ],
    [
      'Writing',
      [
        'Write a paragraph with capital letters and full stops',
        'Improve handwriting stamina for extended writing',
      ],
    ],
    [
      'Maths',
      ['Know times tables to 12 x 12', 'Use place value to add and subtract 3-digit numbers'],
    ],
    [
      'Attendance',
      ['Attendance above 96% this term', 'Arrive on time every day with a settled start'],
    ],
    [
      'Social and emotional wellbeing',
      [
        'Use the calm box when feeling overwhelmed',
        'Build one new friendship through a lunchtime club',
      ],
    ],
  ],
  secondary: [
    [
      'English',
      [
        'Reach a secure grade 4 in English language',
        'Complete reading comprehension homework weekly',
      ],
    ],
    [
      'Maths',
      [
        'Close gaps in fractions and algebra with tuition',
        'Reach target grade in maths mock exams',
      ],
    ],
    [
      'Attendance',
      [
        'Attendance above 95% with no unauthorised absence',
        'Reduce lateness to lessons after break',
      ],
    ],
    [
      'Behaviour for learning',
      [
        'Fewer than three behaviour points per half-term',
        'Use time-out card appropriately in lessons',
      ],
    ],
    ['Wellbeing', ['Attend weekly mentoring sessions', 'Join an after-school club or team']],
    [
      'Careers and aspirations',
      ['Complete a careers interview and choose options', 'Arrange work experience placement'],
    ],
  ],
  post16: [
    [
      'Post-16 pathway',
      [
        'Stay on course and complete the first year',
        'Apply for next-year course or apprenticeship',
      ],
    ],
    [
      'English and maths resits',
      ['Pass GCSE English resit at grade 4', 'Pass GCSE maths resit at grade 4'],
    ],
    [
      'Independence skills',
      ['Manage a weekly budget with the key worker', 'Travel independently to college'],
    ],
    ['Attendance', ['Attendance at college above 90%', 'Keep to the agreed timetable every week']],
  ],
};

const CHILD_VIEWS: Record<Stage, readonly string[]> = {
  early: [
    'Likes the sand tray and the big bikes; shows happiness at drop-off now.',
    'Talks about their key person a lot and likes story time.',
    'Carer says they are proud of the pictures they bring home.',
  ],
  primary: [
    'I like maths and playing football at dinner time.',
    'I want to be in the school choir this year.',
    'I find writing hard but I like it when Miss helps me.',
    'I would like to see my brother more often.',
    'I like my teacher because she is kind and listens to me.',
    'I get worried at home time sometimes.',
  ],
  secondary: [
    'I want to go to college to do mechanics.',
    'Some lessons are boring but I like art and PE.',
    'I do not want my friends to know I am in care.',
    'I would like help with maths before my exams.',
    'I want to be a nurse when I am older.',
    'School is better since I moved. I have more friends now.',
  ],
  post16: [
    'I want to finish my course and get an apprenticeship.',
    'College is okay. I need help with money for travel.',
    'I would like to live on my own next year but I am nervous.',
  ],
};

export const SUPPORT_STRATEGIES: readonly string[] = [
  'Seat near the door',
  'Check-in with key adult at start of day',
  'Give warning before changes to routine',
  'Time-out card to leave class calmly',
  'Instructions broken into small steps',
  'Praise privately rather than in front of the class',
  'Quiet space available at break times',
  'Avoid family-tree and baby-photo activities without talking to carer first',
  'Visual timetable on desk',
  'Check understanding of homework before the end of the lesson',
  'Named adult to go to when upset',
  'Movement break halfway through long lessons',
];

const REVIEW_TARGET_STATUS = new Weighted<ScPepTarget['STATUS']>([
  ['ACHIEVED', 50],
  ['IN_PROGRESS', 35],
  ['NOT_STARTED', 15],
]);
const LATEST_TARGET_STATUS = new Weighted<ScPepTarget['STATUS']>([
  ['NOT_STARTED', 45],
  ['IN_PROGRESS', 55],
]);

function stageOf(yg: string | null): Stage {
  const i = yg === null ? 0 : yearGroupIndex(yg);
  if (i <= 2) return 'early';
  if (i <= 8) return 'primary';
  if (i <= 13) return 'secondary';
  return 'post16';
}

export interface PepEnv {
  ctx: SeedContext;
  /** Shared PEP id sequence. */
  seq: { next: number };
}

/**
 * What the shared rule reads about a seeded child on `date` (the period of care open that day,
 * short breaks not counting; whether an emergency placement began it), with these PEPs.
 */
export function seededPepFacts(draft: ChildDraft, peps: readonly ScPep[], date: string): PepFacts {
  const record = {
    CHILD: draft.child.CHILD,
    DOB: draft.child.DOB,
    episodes: draft.episodes,
    placements: draft.placements,
    peps: [...peps],
  };
  return pepFactsOf(record, date);
}

/** The PEPs of one child (possibly none: too young, or the first one not held yet). */
export function buildPeps(rng: Rng, env: PepEnv, draft: ChildDraft): ScPep[] {
  const { ctx } = env;
  const end = draft.ceased ?? ctx.asOf;
  // The last day in care (an episode is no longer open on the day it ends); null facts for a
  // child on short breaks only, who needs no PEP.
  const lastDay = draft.ceased === null ? ctx.asOf : addDays(draft.ceased, -1);
  const first = firstPep(seededPepFacts(draft, [], lastDay), end);
  if (first === null || first.requiredFrom > end) return [];
  const late = rng.chance(0.15);
  const initial = late
    ? addSchoolDays(first.due, rng.int(1, 25))
    : (randomSchoolDay(rng, addDays(first.requiredFrom, 1), first.due) ??
      randomWeekday(rng, addDays(first.requiredFrom, 1), first.due));
  if (initial > end) return [];

  const dates: string[] = [initial];
  const historyStart = `${ctx.yearStartYear - 1}-09-01`;
  // During a holiday this is the term just ended: its review was held by now or not at all.
  const thisTerm = termOf(ctx.asOf);
  for (let t = nextTerm(initial); t.start <= end; t = nextTerm(t.start)) {
    if (t.end < historyStart) continue;
    const prev = dates[dates.length - 1]!;
    if (draft.current && t.start === thisTerm.start) {
      // Reviews spread over the term: held by now for the share of the term gone by.
      const gone = schoolDaysInRange(t.start, ctx.asOf) / schoolDaysInRange(t.start, t.end);
      const d = rng.chance(gone)
        ? randomSchoolDay(rng, maxDate(t.start, addDays(prev, 1)), ctx.asOf)
        : null;
      if (d) dates.push(d);
      continue;
    }
    if (rng.chance(0.05)) continue;
    const termLength = schoolDaysBetween(t.start, t.end);
    const latest = addSchoolDays(t.start, Math.max(1, Math.floor(termLength * 0.75)));
    const d = randomSchoolDay(rng, maxDate(t.start, addDays(prev, 1)), minDate(latest, end));
    if (d) dates.push(d);
  }

  // About 12% of current children whose first PEP is older than last term are OVERDUE: no
  // review last term or this one.
  const lastTermStart = previousTerm(ctx.asOf).start;
  if (draft.current && initial < lastTermStart && rng.chance(0.12)) {
    while (dates.length > 1 && dates[dates.length - 1]! >= lastTermStart) dates.pop();
  }

  const student = draft.student;
  return dates.map((date, i) => {
    const latest = i === dates.length - 1;
    const id = `PEP${String(env.seq.next++).padStart(7, '0')}`;
    const stage = stageOf(yearGroupFor(draft.child.DOB, date));
    const areas = rng.sample(TARGETS[stage], rng.int(2, Math.min(4, TARGETS[stage].length)));
    const targets: ScPepTarget[] = areas.map(([area, descriptions], k) => ({
      TARGET_ID: `${id}-T${k + 1}`,
      AREA: area,
      DESCRIPTION: rng.pick(descriptions),
      PP_PLUS_REQUEST_PENCE: rng.chance(0.4) ? 0 : 2_500 * rng.int(4, 60),
      STATUS: (latest && draft.current ? LATEST_TARGET_STATUS : REVIEW_TARGET_STATUS).draw(rng),
      // The workflow's fields: a seeded PEP was typed in elsewhere without them (no draw, so
      // the seeded world stays as it was).
      SUCCESS_MEASURE: null,
      OWNER: null,
      REVIEW_DATE: null,
      REVIEW: null,
    }));
    const recent = draft.current && schoolDaysBetween(date, ctx.asOf) <= 15;
    const status: ScPep['STATUS'] = recent
      ? weighted(rng, [
          ['DRAFT', 45],
          ['COMPLETE', 40],
          ['QA_APPROVED', 15],
        ])
      : rng.chance(0.7)
        ? 'QA_APPROVED'
        : 'COMPLETE';
    const nStrategies = stage === 'early' ? rng.int(0, 2) : rng.int(1, 3);
    return {
      PEP_ID: id,
      CHILD: draft.child.CHILD,
      MEETING_DATE: date,
      INITIAL: i === 0,
      STATUS: status,
      SCHOOL_URN: student ? mainUrnOn(student.enrolments, date) : null,
      CHILD_VIEWS: rng.chance(0.9) ? rng.pick(CHILD_VIEWS[stage]) : null,
      SUPPORT_STRATEGIES: rng.sample(SUPPORT_STRATEGIES, nStrategies),
      TARGETS: targets,
      ATTENDEES: [],
      STRENGTHS: null,
      BARRIERS: null,
      SIGN_OFF: [],
      QA: null,
      VERSION: 1,
      COMPLETED_ON: status === 'DRAFT' ? null : date,
    };
  });
}
