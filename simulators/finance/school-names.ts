/**
 * The finance system's supplier records of schools: the name it pays each school under, by
 * URN. Schools are suppliers of a council's finance system, so it can name the school a spend
 * line went to without asking the education system (`include=school_names`). Simulated from
 * the world's schools, so the names are the education system's.
 */
import type { FinLedgerLine } from '../../upstream/finance/contract';
import type { World } from '../seed/world';

export type SchoolNamer = (line: FinLedgerLine) => FinLedgerLine;

/** Adds `school_name` to a line: null when it names no school or one with no supplier record. */
export function schoolNamer(world: World): SchoolNamer {
  const names = new Map(world.education.schools.map((school) => [school.urn, school.name]));
  return (line) => ({
    ...line,
    school_name: line.urn === null ? null : (names.get(line.urn) ?? null),
  });
}
