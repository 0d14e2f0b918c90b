/**
 * The identifiers that cross the council's systems (`shared/spec/domain.md`, "Identifiers
 * across systems"): what a well-formed one looks like, written once. A malformed key names no
 * child or school, so callers check it before asking any system.
 */

/** A social care child id (903 `CHILD`): 7 digits, e.g. `1000001`. */
export const CHILD_ID = /^\d{7}$/;

/**
 * A UPN: 13 characters, a check letter, 11 digits, then a digit (or a letter for a temporary
 * UPN). Social care records `UN1`..`UN5` when the UPN is not known: those are not UPNs, since
 * several children share each, so no one child can be found by them.
 */
export const UPN = /^[A-Z]\d{11}[0-9A-Z]$/;

/** A school's unique reference number: 6 digits. */
export const URN = /^\d{6}$/;

/** A local authority's code: 3 digits, e.g. `340` for Knowsley. */
export const LA_CODE = /^\d{3}$/;

export const isChildId = (value: unknown): value is string =>
  typeof value === 'string' && CHILD_ID.test(value);

export const isUpn = (value: unknown): value is string =>
  typeof value === 'string' && UPN.test(value);

export const isUrn = (value: unknown): value is string =>
  typeof value === 'string' && URN.test(value);

export const isLaCode = (value: unknown): value is string =>
  typeof value === 'string' && LA_CODE.test(value);
