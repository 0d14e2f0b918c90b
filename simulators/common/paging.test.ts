import { pageRequest, pageUrl, paginate } from './paging';

describe('paginate', () => {
  const items = Array.from({ length: 7 }, (_, i) => i + 1);

  it('cuts a page and points at the next one', () => {
    expect(paginate(items, { page: 1, perPage: 3 }, '/v1/schools?la_code=340')).toEqual({
      data: [1, 2, 3],
      meta: {
        pagination: {
          page: 1,
          per_page: 3,
          total: 7,
          next: '/v1/schools?la_code=340&page=2&per_page=3',
          more: true,
        },
      },
    });
  });

  it('ends with next null and more false, and answers an empty page beyond the end', () => {
    expect(
      paginate(items, { page: 3, perPage: 3 }, '/x?page=3&per_page=3').meta.pagination,
    ).toEqual({ page: 3, per_page: 3, total: 7, next: null, more: false });
    expect(paginate(items, { page: 9, perPage: 3 }, '/x').data).toEqual([]);
    expect(paginate([], { page: 1, perPage: 3 }, '/x').meta.pagination.total).toBe(0);
  });

  it('replaces page in place and keeps the other parameters', () => {
    expect(pageUrl('/v1/students?page=2&include=sen,enrolments', 3, 50)).toBe(
      '/v1/students?page=3&include=sen%2Cenrolments&per_page=50',
    );
  });
});

describe('pageRequest', () => {
  it('defaults to page 1 of 100 and lets the query win over the body', () => {
    expect(pageRequest({})).toEqual({ page: 1, perPage: 100 });
    expect(pageRequest({ page: 3 }, { page: 1, per_page: 20 })).toEqual({ page: 3, perPage: 20 });
  });
});
