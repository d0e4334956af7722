/** The one error vocabulary: zod issues as field and reason, and parseOrThrow. */
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod, parseOrThrow } from '../../../domain/validation-error';

const schema = z
  .object({
    kind: z.enum(['a', 'b']),
    items: z.array(z.string()).min(1).max(2),
    name: z.string().max(3, 'is too long'),
    count: z.number().int(),
  })
  .strict();

const issuesOf = (input: unknown, nameUnknownFields = false) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a failure');
  return fieldIssuesFromZod(parsed.error, { nameUnknownFields });
};

describe('fieldIssuesFromZod', () => {
  it('says for each field why, in words', () => {
    expect(issuesOf({ kind: 'c', items: [], name: 'long', count: 1.5 })).toEqual([
      { field: 'kind', reason: 'must be one of a, b' },
      { field: 'items', reason: 'needs at least 1 item(s)' },
      { field: 'name', reason: 'is too long' },
      { field: 'count', reason: 'must be integer, got float' },
    ]);
    expect(issuesOf({ kind: 'a', items: ['x', 'y', 'z'], name: 'ok', count: '1' })).toEqual([
      { field: 'items', reason: 'allows at most 2 item(s)' },
      { field: 'count', reason: 'must be number, got string' },
    ]);
    expect(issuesOf({ items: ['x'], name: 'ok', count: 1 })).toEqual([
      { field: 'kind', reason: 'is required' },
    ]);
  });

  it('counts unknown fields, naming them only for files an operator wrote', () => {
    const input = { kind: 'a', items: ['x'], name: 'ok', count: 1, secret: 1, other: 2 };
    expect(issuesOf(input)[0]!.reason).toBe('has 2 unknown field(s)');
    expect(issuesOf(input, true)[0]!.reason).toBe('has unknown field(s) secret, other');
  });
});

describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(parseOrThrow(schema, { kind: 'a', items: ['x'], name: 'ok', count: 1 }, 'settings')).toEqual({
      kind: 'a',
      items: ['x'],
      name: 'ok',
      count: 1,
    });
  });

  it('throws a ValidationError naming the subject and every field', () => {
    expect(() =>
      parseOrThrow(schema, { kind: 'a', items: ['x'], name: 'ok', count: 1, extra: true }, 'settings', {
        nameUnknownFields: true,
      }),
    ).toThrow(ValidationError);
    const error = (() => {
      try {
        return parseOrThrow(schema, {}, 'settings');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toEqual(['kind', 'items', 'name', 'count']);
  });
});
