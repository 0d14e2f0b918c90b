/**
 * The SSDA903 code lists: the 2025-26 labels, the historic codes older episodes still carry,
 * and the list (and collection year) every label is read from.
 */
import {
  CATEGORY_OF_NEED,
  ETHNICITY,
  LEGAL_STATUS,
  PLACEMENT_PROVIDER,
  PLACEMENT_TYPE,
  REASON_EPISODE_CEASED,
  REASON_NEW_EPISODE,
  REASON_PLACE_CHANGE,
  SSDA903_COLLECTION_YEAR,
  codedValue,
  isKnownCode,
  lookUpCode,
  type CodeList,
  type CodeLookup,
} from './ssda903';

describe('SSDA903 labels, table by table', () => {
  it.each<[string, CodeList, string, Partial<CodeLookup>]>([
    // The four codes that replaced Z1 in 2025-26: current, and never the bare placeholder.
    ...['Z11', 'Z12', 'Z13', 'Z14'].map((code): [string, CodeList, string, Partial<CodeLookup>] => [
      `PLACE ${code}`,
      PLACEMENT_TYPE,
      code,
      {
        status: 'CURRENT',
        collectionYear: '2025-26',
        label: `Other placement (${code}: one of the four codes that replaced Z1 “Other placements” in 2025-26)`,
      },
    ]),
    [
      'PLACE H5, historic',
      PLACEMENT_TYPE,
      'H5',
      {
        status: 'HISTORIC',
        lastCollectionYear: '2024-25',
        label:
          'Semi-independent living accommodation not subject to children’s homes regulations (historic code, last valid in 2024-25)',
      },
    ],
    [
      'PLACE P2, historic',
      PLACEMENT_TYPE,
      'P2',
      {
        status: 'HISTORIC',
        lastCollectionYear: '2024-25',
        label:
          'Independent living, for example in a flat, lodgings, bedsit, bed and breakfast (B&B) or with friends, with or without formal support (historic code, last valid in 2024-25)',
      },
    ],
    [
      'PLACE Z1, historic',
      PLACEMENT_TYPE,
      'Z1',
      {
        status: 'HISTORIC',
        lastCollectionYear: '2024-25',
        label:
          'Other placements (must be listed on a schedule sent to DfE with annual submission) (historic code, last valid in 2024-25)',
      },
    ],
    [
      'PLACE K3',
      PLACEMENT_TYPE,
      'K3',
      {
        status: 'CURRENT',
        label:
          'Supported accommodation not subject to children’s homes regulations (aged 16 or 17)',
      },
    ],
    ['PLACE T0', PLACEMENT_TYPE, 'T0', { label: 'All types of temporary move' }],
    [
      'PLACE T4',
      PLACEMENT_TYPE,
      'T4',
      {
        label:
          'Temporary accommodation of seven days or less, for any reason, not covered by codes T1 to T3',
      },
    ],
    [
      'PLACE U1',
      PLACEMENT_TYPE,
      'U1',
      { label: 'Foster placement with relative(s) or friend(s) – long term fostering' },
    ],
    [
      'PLACE U6',
      PLACEMENT_TYPE,
      'U6',
      {
        label:
          'Foster placement with other foster carer(s) – not long term or fostering for adoption / concurrent planning',
      },
    ],
    [
      'PLACE_PROVIDER PR1',
      PLACEMENT_PROVIDER,
      'PR1',
      {
        field: 'PLACE_PROVIDER',
        label:
          'Own provision (by the local authority) including a regional adoption agency where the child’s responsible local authority is the host authority',
      },
    ],
    [
      'LS V2',
      LEGAL_STATUS,
      'V2',
      { label: 'Single period of accommodation under section 20 (Children Act 1989)' },
    ],
    [
      'RNE U',
      REASON_NEW_EPISODE,
      'U',
      {
        label:
          'Change of legal status and change of placement (but same carer(s)) at the same time',
      },
    ],
    ['CIN N2', CATEGORY_OF_NEED, 'N2', { label: 'Child’s disability' }],
    [
      'REC E4A',
      REASON_EPISODE_CEASED,
      'E4A',
      {
        label:
          'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility as part of the care planning process (not under a special guardianship order or residence order/ child arrangement order)',
      },
    ],
    [
      'REC E17',
      REASON_EPISODE_CEASED,
      'E17',
      {
        label:
          'Aged 18 (or over) and remained with current carers (inc under staying put arrangements)',
      },
    ],
    [
      'REASON_PLACE_CHANGE CREQB',
      REASON_PLACE_CHANGE,
      'CREQB',
      { label: 'Carer(s) request placement end due to child’s behaviour' },
    ],
    // Unknown codes say so, whatever they look like, and never throw.
    [
      'an unknown placement code',
      PLACEMENT_TYPE,
      'R4',
      { status: 'UNKNOWN', label: 'Unknown code (R4)', lastCollectionYear: null },
    ],
    [
      'a lower-case code (the lists are upper case)',
      PLACEMENT_TYPE,
      'z11',
      { status: 'UNKNOWN', label: 'Unknown code (z11)' },
    ],
    [
      'a property name of every object',
      LEGAL_STATUS,
      'toString',
      { status: 'UNKNOWN', label: 'Unknown code (toString)' },
    ],
  ])('%s', (_case, list, code, expected) => {
    const found = lookUpCode(list, code);
    expect(found).toMatchObject({ code, collectionYear: SSDA903_COLLECTION_YEAR, ...expected });
    expect(codedValue(list, code)).toEqual({ code, label: found.label });
    expect(isKnownCode(list, code)).toBe(found.status !== 'UNKNOWN');
  });
});

describe('the lists of the 2025-26 collection year', () => {
  const LISTS: Array<[string, CodeList]> = [
    ['LS', LEGAL_STATUS],
    ['RNE', REASON_NEW_EPISODE],
    ['CIN', CATEGORY_OF_NEED],
    ['PLACE', PLACEMENT_TYPE],
    ['PLACE_PROVIDER', PLACEMENT_PROVIDER],
    ['REC', REASON_EPISODE_CEASED],
    ['REASON_PLACE_CHANGE', REASON_PLACE_CHANGE],
    ['ETHNIC', ETHNICITY],
  ];

  it.each(LISTS)('%s names its field, collection year and source', (field, list) => {
    expect(list.field).toBe(field);
    expect(list.collectionYear).toBe('2025-26');
    expect(list.source).toMatch(/csc-validator-be-903/);
  });

  it.each(LISTS)('%s labels every code, none with a bare placeholder', (_field, list) => {
    for (const [code, label] of Object.entries(list.codes)) {
      expect(label.trim().length).toBeGreaterThan(0);
      expect(label).not.toBe(`Other placement (${code})`);
    }
  });

  // The validator's 2025-26 rule files, as read for this list (rules 146, 178, 149, 1009).
  it.each<[string, CodeList, string[]]>([
    [
      'PLACE',
      PLACEMENT_TYPE,
      'A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14'.split(
        ' ',
      ),
    ],
    ['PLACE_PROVIDER', PLACEMENT_PROVIDER, 'PR0 PR1 PR2 PR3 PR4 PR5'.split(' ')],
    [
      'REC',
      REASON_EPISODE_CEASED,
      'E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 E14 E15 E16 E17 X1'.split(' '),
    ],
    [
      'REASON_PLACE_CHANGE',
      REASON_PLACE_CHANGE,
      'CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER'.split(' '),
    ],
    ['LS', LEGAL_STATUS, 'C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3'.split(' ')],
  ])('%s holds exactly the codes the 2025-26 rules accept', (_field, list, codes) => {
    expect(Object.keys(list.codes).sort()).toEqual([...codes].sort());
  });

  it('keeps H5, P2 and Z1 only as historic placement codes, last valid in 2024-25', () => {
    expect(Object.keys(PLACEMENT_TYPE.historic ?? {}).sort()).toEqual(['H5', 'P2', 'Z1']);
    for (const code of ['H5', 'P2', 'Z1']) {
      expect(Object.hasOwn(PLACEMENT_TYPE.codes, code)).toBe(false);
      expect(lookUpCode(PLACEMENT_TYPE, code).lastCollectionYear).toBe('2024-25');
    }
  });
});
