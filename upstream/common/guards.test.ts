/** The one family of payload guards every client checks answers with. */
import { UpstreamUnavailableError } from '../../lib/errors';
import {
  expectBatch,
  expectPaged,
  isBatch,
  isList,
  isPaged,
  isRecord,
  unexpectedShape,
} from './guards';

const pagination = { page: 1, per_page: 500, total: 1, next: null, more: false };
const isNamed = (value: unknown): value is { name: string } =>
  typeof (value as { name?: unknown } | null)?.name === 'string';

describe('isPaged', () => {
  it('accepts a page as the APIs document it', () => {
    expect(isPaged({ data: [{ name: 'a' }], meta: { pagination } })).toBe(true);
    expect(isPaged({ data: [], meta: { pagination: { ...pagination, next: '/x?page=2' } } })).toBe(
      true,
    );
  });

  it.each([
    ['a 404 (null)', null],
    ['an empty object', {}],
    ['a bare list', []],
    ['data that is not a list', { data: 'x', meta: { pagination } }],
    ['no meta', { data: [] }],
    ['a batch answer', { data: [], meta: { missing: [] } }],
    ['no total', { data: [], meta: { pagination: { ...pagination, total: undefined } } }],
    ['no more', { data: [], meta: { pagination: { ...pagination, more: undefined } } }],
    ['more as a string', { data: [], meta: { pagination: { ...pagination, more: 'false' } } }],
    ['page as a string', { data: [], meta: { pagination: { ...pagination, page: '1' } } }],
  ])('refuses %s', (_what, value) => {
    expect(isPaged(value)).toBe(false);
  });

  it('checks each item when told how', () => {
    expect(isPaged({ data: [{ name: 'a' }], meta: { pagination } }, isNamed)).toBe(true);
    expect(isPaged({ data: [{ name: 1 }], meta: { pagination } }, isNamed)).toBe(false);
  });
});

describe('isBatch', () => {
  it('accepts records found and ids missing', () => {
    expect(isBatch({ data: [], meta: { missing: ['1'] } })).toBe(true);
  });

  it.each([
    null,
    {},
    { data: [] },
    { data: [], meta: { pagination } },
    { data: {}, meta: { missing: [] } },
  ])('refuses %p', (value) => {
    expect(isBatch(value)).toBe(false);
  });

  it('checks each item when told how', () => {
    expect(isBatch({ data: [{}], meta: { missing: [] } }, isNamed)).toBe(false);
  });
});

describe('isList and isRecord', () => {
  it('take a whole list, and one record or null', () => {
    expect(isList({ data: [{ name: 'a' }] }, isNamed)).toBe(true);
    expect(isList({ data: [{}] }, isNamed)).toBe(false);
    expect(isList({})).toBe(false);
    expect(isRecord({ data: { urn: '1' } })).toBe(true);
    expect(isRecord({ data: null })).toBe(true);
    expect(isRecord({})).toBe(false);
    expect(isRecord({ data: [] })).toBe(false);
  });
});

describe('unexpected shapes', () => {
  it('are the named system unavailable, never "no data"', () => {
    const error = unexpectedShape('finance', 'POST /api/finance/v1/clients/search');
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.system).toBe('finance');
    expect(() => expectPaged(null, 'social care', 'route')).toThrow(UpstreamUnavailableError);
    expect(() => expectPaged({}, 'social care', 'route')).toThrow(UpstreamUnavailableError);
    expect(() => expectBatch({ data: [] }, 'education', 'route')).toThrow(UpstreamUnavailableError);
    expect(expectBatch({ data: [1], meta: { missing: [] } }, 'education', 'route').data).toEqual([
      1,
    ]);
  });
});
