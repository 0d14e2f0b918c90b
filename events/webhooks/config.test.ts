import { loadWebhookConfig, webhookUrlProblem } from './config';

const KEY = 'k'.repeat(40);

describe('loadWebhookConfig', () => {
  it('has development defaults, and generates one signing key per process when unset', () => {
    const config = loadWebhookConfig({ NODE_ENV: 'development' });
    expect(config).toEqual({
      signingKey: expect.any(String),
      timeoutMs: 10_000,
      baseBackoffMs: 1_000,
      maxBackoffMs: 300_000,
      maxAttempts: 50,
      maxAgeMs: 86_400_000,
      pollMs: 1_000,
      requireHttps: false,
    });
    expect(config.signingKey.length).toBeGreaterThanOrEqual(32);
    expect(loadWebhookConfig({}).signingKey).toBe(config.signingKey);
  });

  it('requires the signing key in production, and https there', () => {
    expect(() => loadWebhookConfig({ NODE_ENV: 'production' })).toThrow(
      /WEBHOOK_SIGNING_KEY: required in production/,
    );
    const config = loadWebhookConfig({ NODE_ENV: 'production', WEBHOOK_SIGNING_KEY: KEY });
    expect(config).toMatchObject({ signingKey: KEY, requireHttps: true });
  });

  it('reads every setting, and refuses bad ones naming the variable, never the key', () => {
    expect(
      loadWebhookConfig({
        WEBHOOK_SIGNING_KEY: KEY,
        WEBHOOK_TIMEOUT_MS: '5000',
        WEBHOOK_BASE_BACKOFF_MS: '500',
        WEBHOOK_MAX_BACKOFF_MS: '60000',
        WEBHOOK_MAX_ATTEMPTS: '10',
        WEBHOOK_MAX_AGE_MS: '3600000',
        WEBHOOK_POLL_MS: '250',
      }),
    ).toMatchObject({
      timeoutMs: 5_000,
      baseBackoffMs: 500,
      maxBackoffMs: 60_000,
      maxAttempts: 10,
      maxAgeMs: 3_600_000,
      pollMs: 250,
    });
    const short = 'short-key-1234567890';
    expect(() => loadWebhookConfig({ WEBHOOK_SIGNING_KEY: short })).toThrow(/WEBHOOK_SIGNING_KEY/);
    try {
      loadWebhookConfig({ WEBHOOK_SIGNING_KEY: short });
    } catch (error) {
      expect(String(error)).not.toContain(short);
    }
    expect(() =>
      loadWebhookConfig({ WEBHOOK_BASE_BACKOFF_MS: '5000', WEBHOOK_MAX_BACKOFF_MS: '1000' }),
    ).toThrow(/WEBHOOK_MAX_BACKOFF_MS/);
    expect(() => loadWebhookConfig({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOK_MAX_ATTEMPTS/);
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    ['https://receiver.example/hook', false, null],
    ['http://receiver.example/hook', false, null],
    ['http://receiver.example/hook', true, 'not https (required in production)'],
    ['https://user:pw@receiver.example/hook', false, 'has credentials'],
    ['ftp://receiver.example/', false, 'not http(s)'],
    ['not a url', false, 'not a URL'],
  ])('%s (https required: %s): %s', (url, requireHttps, problem) => {
    expect(webhookUrlProblem(url, requireHttps)).toBe(problem);
  });
});
