/**
 * Unique Pupil Numbers, by the DfE's published structure: a check letter, then the 3-digit LA
 * code and 4-digit establishment number of the school that allocated it, the last two digits
 * of the year of allocation, and a 3-digit serial. The check letter: multiply each of
 * characters 2-13 by its position (2..13), sum, take the remainder modulo 23 and index
 * "ABCDEFGHJKLMNPQRTUVWXYZ". (A temporary UPN's alphabetic 13th character counts as its index
 * in the same alphabet.)
 */
import type { Rng } from './random';

export const UPN_CHECK_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** The check letter for the 12 characters that follow it in a UPN. */
export function upnCheckLetter(body: string): string {
  if (body.length !== 12 || !/^\d{11}[0-9A-Z]$/.test(body)) {
    throw new RangeError(
      `A UPN body is 11 digits and a digit or letter, got ${JSON.stringify(body)}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const ch = body[i]!;
    let value: number;
    if (ch >= '0' && ch <= '9') value = ch.charCodeAt(0) - 48;
    else {
      value = UPN_CHECK_ALPHABET.indexOf(ch);
      if (value < 0) throw new RangeError(`Not a UPN character: ${ch}`);
    }
    sum += value * (i + 2);
  }
  return UPN_CHECK_ALPHABET[sum % 23]!;
}

/** True for a 13-character UPN whose check letter is right. */
export function isValidUpn(upn: string): boolean {
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(upn)) return false;
  try {
    return upnCheckLetter(upn.slice(1)) === upn[0];
  } catch {
    return false;
  }
}

/** Allocates UPNs that are unique across the whole world. */
export class UpnAllocator {
  private readonly used = new Set<string>();

  /**
   * A new UPN as if allocated by the school `laestab` (7 digits: LA code + establishment
   * number) in the academic year starting in `year`.
   */
  allocate(rng: Rng, laestab: string, year: number): string {
    const yy = String(year % 100).padStart(2, '0');
    let serial = rng.int(0, 999);
    for (let attempt = 0; attempt < 2000; attempt++) {
      const estab = attempt < 1000 ? laestab : `${laestab.slice(0, 3)}${rng.int(1000, 9999)}`;
      const body = `${estab}${yy}${String(serial).padStart(3, '0')}`;
      const upn = `${upnCheckLetter(body)}${body}`;
      if (!this.used.has(upn)) {
        this.used.add(upn);
        return upn;
      }
      serial = (serial + 1) % 1000;
    }
    throw new Error(`Could not allocate a unique UPN for ${laestab}/${yy}`);
  }

  has(upn: string): boolean {
    return this.used.has(upn);
  }
}
