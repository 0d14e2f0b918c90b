/**
 * Social care's seal on scope facts: whatever is not exactly the seal made for this child,
 * request and caller, unexpired and unaltered, gives no facts (the subgraph then asks social
 * care itself). Each case is an attack a planner bug, a compromised gateway or a replayed
 * representation could make.
 */
import { createHmac } from 'node:crypto';
import type { ChildFacts } from './scope';
import { openSealedFacts, scopeFactsKey, sealFacts, SEAL_LIFETIME_SECONDS } from './vouched-facts';

const key = scopeFactsKey('social-care-read-credential-0001');
const facts: ChildFacts & { id: string } = {
  id: 'CH0000042',
  upn: 'A123456789012',
  lookedAfterBy: '340',
  restricted: false,
  socialWorkerId: 'SW00012',
  caseworkerId: null,
};
const binding = { requestId: 'req-1', sub: 'SW00012' };
const NOW = Date.UTC(2026, 0, 31, 9, 0, 0);

function resealed(seal: string, edit: (fields: unknown[]) => void, withKey = key): string {
  const payload = seal.split('.')[0]!;
  const fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
  edit(fields);
  const changed = Buffer.from(JSON.stringify(fields)).toString('base64url');
  const mac = createHmac('sha256', withKey).update(changed).digest('base64url');
  return `${changed}.${mac}`;
}

describe('sealed scope facts', () => {
  const seal = sealFacts(key, facts, binding, NOW);

  it('opens for the same child, request and caller within the minute', () => {
    expect(openSealedFacts(key, seal, facts.id, binding, NOW + 59_000)).toEqual(facts);
  });

  it('keeps a restricted flag and a missing UPN exactly', () => {
    const restricted = { ...facts, restricted: true, upn: null, socialWorkerId: null };
    const sealed = sealFacts(key, restricted, binding, NOW);
    expect(openSealedFacts(key, sealed, facts.id, binding, NOW)).toEqual(restricted);
  });

  it('gives nothing once expired', () => {
    const later = NOW + SEAL_LIFETIME_SECONDS * 1000 + 1_000;
    expect(openSealedFacts(key, seal, facts.id, binding, later)).toBeNull();
  });

  it('gives nothing for another child (a seal moved to another representation)', () => {
    expect(openSealedFacts(key, seal, 'CH0000043', binding, NOW)).toBeNull();
  });

  it('gives nothing in another request or for another caller (replayed)', () => {
    expect(
      openSealedFacts(key, seal, facts.id, { ...binding, requestId: 'req-2' }, NOW),
    ).toBeNull();
    expect(openSealedFacts(key, seal, facts.id, { ...binding, sub: 'SW00099' }, NOW)).toBeNull();
  });

  it('gives nothing when a fact is altered without the key (no unrestricting, no reallocating)', () => {
    const [payload, mac] = seal.split('.') as [string, string];
    const fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    fields[8] = 'SW99999';
    const altered = `${Buffer.from(JSON.stringify(fields)).toString('base64url')}.${mac}`;
    expect(openSealedFacts(key, altered, facts.id, binding, NOW)).toBeNull();
  });

  it('gives nothing when sealed under another key (another authority, or a guess)', () => {
    const otherKey = scopeFactsKey('another-authority-credential');
    const forged = resealed(seal, (fields) => (fields[7] = false), otherKey);
    expect(openSealedFacts(key, forged, facts.id, binding, NOW)).toBeNull();
    expect(openSealedFacts(otherKey, seal, facts.id, binding, NOW)).toBeNull();
  });

  it('opens a well-formed payload resealed under the right key (the test can fail)', () => {
    const resealedSeal = resealed(seal, (fields) => (fields[8] = 'SW00077'));
    expect(openSealedFacts(key, resealedSeal, facts.id, binding, NOW)?.socialWorkerId).toBe(
      'SW00077',
    );
  });

  it('gives nothing for a payload of the wrong shape, even under the right key', () => {
    expect(
      openSealedFacts(
        key,
        resealed(seal, (f) => (f[0] = 'v2')),
        facts.id,
        binding,
        NOW,
      ),
    ).toBeNull();
    expect(
      openSealedFacts(
        key,
        resealed(seal, (f) => (f[7] = 'false')),
        facts.id,
        binding,
        NOW,
      ),
    ).toBeNull();
    expect(
      openSealedFacts(
        key,
        resealed(seal, (f) => f.pop()),
        facts.id,
        binding,
        NOW,
      ),
    ).toBeNull();
  });

  it.each([
    ['no seal', undefined],
    ['null', null],
    ['a number', 42],
    ['no dot', 'abc'],
    ['an empty payload', '.abc'],
    ['a payload that is not JSON', 'bm90IGpzb24.AAAA'],
    ['a huge string', 'a'.repeat(5_000)],
  ])('gives nothing for %s', (_label, value) => {
    expect(openSealedFacts(key, value, facts.id, binding, NOW)).toBeNull();
  });

  it('derives the same key from the same credential and another from another', () => {
    expect(scopeFactsKey('social-care-read-credential-0001').equals(key)).toBe(true);
    expect(scopeFactsKey('social-care-read-credential-0002').equals(key)).toBe(false);
  });
});
