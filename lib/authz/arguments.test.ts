import { argumentAt, argumentsUsed, categoriesUsed, type ArgumentCategories } from './arguments';

const TABLE: ArgumentCategories = {
  legalStatus: { category: 'CARE' },
  uasc: { category: 'CARE' },
  includeCeased: { category: 'CARE', used: (value) => value === true },
  minAge: { category: 'ID' },
};

describe('argumentsUsed: arguments are reads', () => {
  it('names each field that selects by a category, false and empty lists included', () => {
    expect(
      argumentsUsed('filter', TABLE, { legalStatus: [], uasc: false, minAge: null, other: 1 }),
    ).toEqual([
      { argument: 'filter.legalStatus', category: 'CARE' },
      { argument: 'filter.uasc', category: 'CARE' },
    ]);
  });

  it('counts a field with its own rule only when that rule says so', () => {
    expect(argumentsUsed('filter', TABLE, { includeCeased: false })).toEqual([]);
    expect(
      categoriesUsed(argumentsUsed('filter', TABLE, { includeCeased: true, minAge: 3 })),
    ).toEqual(['CARE', 'ID']);
  });

  it('reads nothing from no input', () => {
    expect(argumentsUsed('filter', TABLE, null)).toEqual([]);
    expect(argumentsUsed('filter', TABLE, undefined)).toEqual([]);
  });
});

describe('argumentAt: an input nested in an argument', () => {
  it('follows a dotted path, and is undefined where a step is missing', () => {
    const args = { filter: { worklist: { pepOverdue: true } } };
    expect(argumentAt(args, 'filter')).toEqual({ worklist: { pepOverdue: true } });
    expect(argumentAt(args, 'filter.worklist')).toEqual({ pepOverdue: true });
    expect(argumentAt({ filter: null }, 'filter.worklist')).toBeUndefined();
    expect(argumentAt({}, 'filter.worklist')).toBeUndefined();
  });
});
