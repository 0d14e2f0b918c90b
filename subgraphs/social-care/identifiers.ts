/** The social care system's identifiers: what a well-formed one looks like. */
import { badUserInput } from '../../lib/errors';

/** A child's case id (903 `CHILD`): 7 digits. */
export function isChildId(value: string): boolean {
  return /^\d{7}$/.test(value);
}

/** The id, checked: anything but 7 digits is the caller's mistake, not an unknown child. */
export function childIdArgument(value: unknown): string {
  const id = typeof value === 'number' ? String(value) : value;
  if (typeof id !== 'string' || !isChildId(id)) {
    throw badUserInput('A child id is 7 digits, e.g. "1000001".');
  }
  return id;
}

/**
 * A UPN: 13 characters, a check letter, 11 digits, then a digit (or a letter for a temporary
 * UPN). `UN1`..`UN5` mean "not known": no child can be found by them, since several share each.
 */
export function isUpn(value: string): boolean {
  return /^[A-Z]\d{11}[0-9A-Z]$/.test(value);
}
