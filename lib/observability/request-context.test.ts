import { requestIdFrom, traceIdFrom } from './request-context';
import { operationLabel } from './metrics';

describe('request ids', () => {
  it("keeps a caller's well-formed id and replaces anything else", () => {
    expect(requestIdFrom('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    for (const bad of ['short', 'a'.repeat(65), 'line\nbreak-1234', '<script>alert(1)</script>'])
      expect(requestIdFrom(bad)).not.toBe(bad);
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('trace ids', () => {
  it('are read from a W3C traceparent, never an invalid one', () => {
    expect(traceIdFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(traceIdFrom('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdFrom('garbage')).toBeUndefined();
    expect(traceIdFrom(undefined)).toBeUndefined();
  });
});

describe('operation labels', () => {
  it('keep GraphQL-name-shaped names, and cap how many', () => {
    expect(operationLabel('ChildProfile')).toBe('ChildProfile');
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('has space')).toBe('other');
    expect(operationLabel('x'.repeat(65))).toBe('other');
    const labels = Array.from({ length: 300 }, (_, i) => operationLabel(`Op${i}`));
    expect(labels.filter((label) => label === 'other').length).toBeGreaterThan(0);
    expect(new Set(labels).size).toBeLessThanOrEqual(201);
  });
});
