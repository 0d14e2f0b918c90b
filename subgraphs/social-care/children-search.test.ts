import { ErrorCode } from '../../lib/errors';
import { ageOn } from '../../domain/school-calendar';
import { dobRange, minusYears, pagesFor, toChildSearch } from './children-search';

const AS_OF = '2025-11-14';

function badInput(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const { extensions, message } = error as { extensions?: { code?: string }; message: string };
    expect(extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
    return message;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('toChildSearch', () => {
  it('asks for every part, current unrestricted children, when there is no filter', () => {
    expect(toChildSearch(undefined, AS_OF)).toEqual({
      include: ['episodes', 'placements', 'peps', 'worker'],
      include_restricted: false,
      current_only: true,
    });
  });

  it('maps every filter field', () => {
    expect(
      toChildSearch(
        {
          legalStatus: ['c2', ' V2 ', 'C2'],
          placementType: ['U4', 'H5'],
          placedOutOfArea: true,
          uasc: false,
          minAge: 5,
          maxAge: 10,
          includeCeased: true,
        },
        AS_OF,
      ),
    ).toEqual({
      include: ['episodes', 'placements', 'peps', 'worker'],
      include_restricted: false,
      current_only: false,
      legal_status: ['C2', 'V2'],
      placement_type: ['U4', 'H5'],
      out_of_area: true,
      uasc: false,
      dob_from: '2014-11-15',
      dob_to: '2020-11-14',
    });
  });

  it('passes an empty code list on (it matches no child) and ignores nulls', () => {
    const search = toChildSearch({ legalStatus: [], uasc: null, minAge: null }, AS_OF);
    expect(search.legal_status).toEqual([]);
    expect(search).not.toHaveProperty('uasc');
    expect(search).not.toHaveProperty('dob_to');
  });

  it('refuses codes that are not on the SSDA903 lists, naming them', () => {
    expect(badInput(() => toChildSearch({ legalStatus: ['C2', 'ZZ'] }, AS_OF))).toMatch(
      /legalStatus.*ZZ/,
    );
    expect(badInput(() => toChildSearch({ placementType: ['toString'] }, AS_OF))).toMatch(
      /TOSTRING/,
    );
  });
});

describe('dobRange', () => {
  it('bounds ages inclusively at both ends', () => {
    const { dob_from: from, dob_to: to } = dobRange(AS_OF, 9, 9);
    expect(from).toBe('2015-11-15');
    expect(to).toBe('2016-11-14');
    expect(ageOn(from as string, AS_OF)).toBe(9);
    expect(ageOn(to as string, AS_OF)).toBe(9);
    expect(ageOn('2015-11-14', AS_OF)).toBe(10);
    expect(ageOn('2016-11-15', AS_OF)).toBe(8);
  });

  it('agrees with ageOn about 29 February', () => {
    // On 29 Feb 2024 a child born 28 Feb 2023 is 1; one born 1 Mar 2023 is 0.
    expect(dobRange('2024-02-29', 1, null)).toEqual({ dob_to: '2023-02-28' });
    expect(minusYears('2024-02-29', 4)).toBe('2020-02-29');
    expect(dobRange('2025-02-28', null, 0)).toEqual({ dob_from: '2024-02-29' });
  });

  it('allows 0..25 and min <= max', () => {
    expect(dobRange(AS_OF, 0, 25)).toEqual({ dob_from: '1999-11-15', dob_to: AS_OF });
    expect(badInput(() => dobRange(AS_OF, -1, null))).toMatch(/minAge/);
    expect(badInput(() => dobRange(AS_OF, null, 26))).toMatch(/maxAge/);
    expect(badInput(() => dobRange(AS_OF, 2.5, null))).toMatch(/minAge/);
    expect(badInput(() => dobRange(AS_OF, 10, 9))).toMatch(/greater/);
  });
});

describe('pagesFor', () => {
  it('is one aligned page when the offset is a multiple of first', () => {
    expect(pagesFor(0, 50)).toEqual({ perPage: 50, page: 1, skip: 0 });
    expect(pagesFor(100, 50)).toEqual({ perPage: 50, page: 3, skip: 0 });
  });

  it('starts inside the page holding the offset otherwise', () => {
    expect(pagesFor(7, 5)).toEqual({ perPage: 5, page: 2, skip: 2 });
    expect(pagesFor(1, 500)).toEqual({ perPage: 500, page: 1, skip: 1 });
  });
});
