/** The education system's identifiers: what a well-formed one looks like. */

/** A school's URN: 6 digits. */
export function isUrn(value: string): boolean {
  return /^\d{6}$/.test(value);
}

/**
 * A UPN: 13 characters, a check letter, 11 digits, then a digit (or a letter for a temporary
 * UPN). Social care records `UN1`..`UN5` when the UPN is not known: those are not UPNs, and
 * asking the education system for them would only return nobody.
 */
export function isUpn(value: string): boolean {
  return /^[A-Z]\d{11}[0-9A-Z]$/.test(value);
}

/**
 * A social care child id (`CHILD`): 7 digits. The `Child` key this subgraph is joined by;
 * the UPN is looked up from social care's scope facts, never sent as a key.
 */
export function isChildId(value: string): boolean {
  return /^\d{7}$/.test(value);
}
