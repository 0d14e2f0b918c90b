/**
 * The data categories of `shared/spec/access.md` that a child's record is read in, plus the
 * finer ones the graph distinguishes, and the categories only the access log records (an
 * aggregate or register read is not a read of one child's record). The one list: the rules,
 * every subgraph's field tables and the access log's store all take it from here.
 */

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

/** What the access log records beyond a child's categories: reads of aggregates and of the register. */
export const AUDIT_ONLY_CATEGORIES = [
  /** A disclosure-controlled cohort report. */
  'AGGREGATE',
  /** The designated teacher register. */
  'DT_REGISTER',
  /** The directory of local authorities' Virtual Schools (issue 15). */
  'VS_DIRECTORY',
] as const;

/** Every category an access-log event may name: the superset. */
export const RECORDED_CATEGORIES = [...CATEGORIES, ...AUDIT_ONLY_CATEGORIES] as const;
export type RecordedCategory = (typeof RECORDED_CATEGORIES)[number];
