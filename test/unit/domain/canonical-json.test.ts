import { canonicalJson } from '../../../domain/canonical-json';

describe('canonicalJson', () => {
  it('orders keys, so equal content gives equal text', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('writes null for a value JSON cannot carry, and refuses a cycle', () => {
    expect(canonicalJson(undefined)).toBe('null');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow(TypeError);
  });
});
