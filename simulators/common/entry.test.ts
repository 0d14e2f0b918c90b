import { SimulatorConfigError, readSimulatorEnv } from './entry';

describe('readSimulatorEnv', () => {
  it('requires the API key, naming the variable', () => {
    expect(() => readSimulatorEnv({}, 'SOCIAL_CARE_API_KEY', 4101)).toThrow(SimulatorConfigError);
    expect(() =>
      readSimulatorEnv({ SOCIAL_CARE_API_KEY: ' ' }, 'SOCIAL_CARE_API_KEY', 4101),
    ).toThrow(/SOCIAL_CARE_API_KEY is required/);
  });

  it('gives defaults for the rest', () => {
    const env = readSimulatorEnv({ FINANCE_API_KEY: 'k' }, 'FINANCE_API_KEY', 4103);
    expect(env).toEqual({
      port: 4103,
      host: '127.0.0.1',
      apiKey: 'k',
      seed: 1,
      children: 600,
      asOf: new Date().toISOString().slice(0, 10),
    });
  });

  it('reads and checks the variables', () => {
    const env = readSimulatorEnv(
      { EDUCATION_API_KEY: 'k', PORT: '0', SEED: '7', CHILDREN: '50000', AS_OF: '2026-01-05' },
      'EDUCATION_API_KEY',
      4102,
    );
    expect(env).toMatchObject({ port: 0, seed: 7, children: 50000, asOf: '2026-01-05' });
    for (const bad of [
      { PORT: 'abc' },
      { CHILDREN: '0' },
      { AS_OF: '2026-02-30' },
      { SEED: '-1' },
    ]) {
      expect(() =>
        readSimulatorEnv({ EDUCATION_API_KEY: 'k', ...bad }, 'EDUCATION_API_KEY', 1),
      ).toThrow(/Invalid environment/);
    }
  });
});
