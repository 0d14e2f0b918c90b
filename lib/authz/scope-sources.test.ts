/**
 * Scope facts go through the systems' one client, so a failing system is UPSTREAM_UNAVAILABLE
 * and never "no child in scope". Regression: `scope-sources.ts` had no payload guard (a 404 or
 * `{}` from the search read as no child), and `lookedAfterRoll` stopped silently at 999 pages.
 */
import { UpstreamUnavailableError } from '../errors';
import { EducationClient } from '../../upstream/education/client';
import { SocialCareClient } from '../../upstream/social-care/client';
import { createChildFactsLoaders, lookedAfterRoll } from './scope-sources';

/** A stand-in system that answers every call with `answer(path)`. */
function upstream(answer: (path: string, page?: unknown) => unknown) {
  return {
    get: async <T>(path: string, params?: Record<string, unknown>) =>
      answer(path, params?.page) as T,
    query: async <T>(path: string) => answer(path) as T,
    write: async <T>() => null as T,
    close: () => undefined,
  };
}

const page = (data: unknown[], more: boolean) => ({
  data,
  meta: { pagination: { page: 1, per_page: 500, total: 1, next: null, more } },
});

describe('scope facts from social care', () => {
  it.each([
    ['a 404', null],
    ['an empty object', {}],
  ])('fail as the system unavailable on %s, not as "no child"', async (_what, answer) => {
    const loaders = createChildFactsLoaders(new SocialCareClient(upstream(() => answer)));
    await expect(loaders.byId.load('1000001')).rejects.toThrow(UpstreamUnavailableError);
  });

  it('send no request for keys that name no child', async () => {
    let calls = 0;
    const client = new SocialCareClient(
      upstream(() => {
        calls += 1;
        return page([], false);
      }),
    );
    expect(await createChildFactsLoaders(client).byUpn.load('UN1')).toBeNull();
    expect(calls).toBe(0);
  });
});

describe('lookedAfterRoll', () => {
  it('throws at its page limit instead of stopping in silence', async () => {
    const education = new EducationClient(upstream(() => page([{ upn: 'A' }], true)));
    await expect(lookedAfterRoll(education, ['100001'])).rejects.toThrow(UpstreamUnavailableError);
  });

  it('fails on an answer of another shape', async () => {
    const education = new EducationClient(upstream(() => ({})));
    await expect(lookedAfterRoll(education, ['100001'])).rejects.toThrow(UpstreamUnavailableError);
  });

  it('gives no pupils for a school the system does not know', async () => {
    const education = new EducationClient(upstream(() => null));
    expect(await lookedAfterRoll(education, ['100001'])).toEqual(new Set());
  });
});
