/**
 * What a member of staff's work contact details must look like, wherever they are entered:
 * the designated teacher register's update in the education subgraph checks them, and so
 * does the education system's API it writes to (so a value one accepts the other accepts).
 * Plain predicates and limits, no personal data in any message.
 */

export const CONTACT_LIMITS = {
  title: 20,
  name: 100,
  jobTitle: 200,
  /** RFC 5321's longest forward path. */
  email: 254,
  phone: 30,
} as const;

/** Control characters (C0, DEL, C1), line and paragraph separators: never in a contact field. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Trimmed text of 1..max characters with no control characters. */
export function isPlainText(value: string, max: number): boolean {
  const text = value.trim();
  return text.length >= 1 && text.length <= max && !CONTROL.test(text);
}

/**
 * A work e-mail address: the WHATWG HTML `type=email` grammar (what browsers accept), at
 * most 254 characters, with a dot in the domain (no bare host names).
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isWorkEmail(value: string): boolean {
  return value.length <= CONTACT_LIMITS.email && EMAIL.test(value);
}

/**
 * A UK telephone number as people write it: `0151 496 0123`, `01514960123`,
 * `+44 151 496 0123`, `+44 (0)151 496 0123`, `(0151) 496-0123`. Digits, spaces, hyphens and
 * brackets, an optional leading +44; then 0 (or +44) and 9 or 10 more digits, the first not 0.
 */
export function isUkPhone(value: string): boolean {
  if (value.length > CONTACT_LIMITS.phone || !/^\+?[0-9() -]+$/.test(value)) return false;
  const digits = value.replace(/\(0\)/, '').replace(/[\s()-]/g, '');
  return /^(?:0|\+44)[1-9]\d{8,9}$/.test(digits);
}
