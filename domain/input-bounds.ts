/**
 * Size bounds of untrusted input, checked before its contract validates it element by element. zod checks an
 * array's length only after it has validated every element, so a small body of many bad items would cost a full
 * pass and one issue per item. The bounds are the contract's own `.max()` lengths, read from the schema, so a limit
 * is written once. Pure (zod only), so workflow code may import the contracts that use it.
 */
import { z, type ZodTypeAny } from 'zod';
import {
  ValidationError,
  fieldIssuesFromZod,
  formatIssuePath,
  limitedIssues,
  type FieldIssue,
} from './validation-error';

/** The schema a wrapper (optional, default, refinement, transform, pipeline) checks its value against first. */
function unwrapped(schema: ZodTypeAny): ZodTypeAny {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
      current = current.unwrap() as ZodTypeAny;
    else if (current instanceof z.ZodDefault) current = current._def.innerType as ZodTypeAny;
    else if (current instanceof z.ZodEffects) current = current.innerType() as ZodTypeAny;
    else if (current instanceof z.ZodPipeline) current = current._def.in as ZodTypeAny;
    else return current;
  }
}

function stringMax(schema: z.ZodString): number | undefined {
  const check = schema._def.checks.find((c) => c.kind === 'max');
  return check?.kind === 'max' ? check.value : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface InputBounds {
  /**
   * Items of all arrays together. The arrays' own bounds multiply (sections × items): this caps the product, which
   * is what validating the input costs.
   */
  maxTotalItems?: number;
}

/**
 * Every array and string of `input` longer than `schema` allows, following only the schema's own fields (what it
 * does not know, it refuses on its own), and the total of items when it passes `maxTotalItems`. An array over its
 * bound is not descended into, so the walk visits at most what the bounds allow. Lengths count the text as sent,
 * before trimming.
 */
export function inputBoundsIssues(
  schema: ZodTypeAny,
  input: unknown,
  { maxTotalItems = Infinity }: InputBounds = {},
): FieldIssue[] {
  const found: { path: (string | number)[]; reason: string }[] = [];
  let totalItems = 0;
  const visit = (node: ZodTypeAny, value: unknown, path: (string | number)[]): void => {
    if (totalItems > maxTotalItems) return;
    const inner = unwrapped(node);
    if (inner instanceof z.ZodString && typeof value === 'string') {
      const max = stringMax(inner);
      if (max !== undefined && value.length > max)
        found.push({ path, reason: `must be at most ${max} characters` });
    } else if (inner instanceof z.ZodArray && Array.isArray(value)) {
      const max = (inner._def as z.ZodArrayDef).maxLength?.value;
      totalItems += value.length;
      if (max !== undefined && value.length > max)
        found.push({ path, reason: `allows at most ${max} item(s)` });
      else if (totalItems > maxTotalItems)
        found.push({ path: [], reason: `must hold at most ${maxTotalItems} list items in all` });
      else value.forEach((item, index) => visit(inner.element as ZodTypeAny, item, [...path, index]));
    } else if (inner instanceof z.ZodObject && isRecord(value)) {
      for (const [key, field] of Object.entries(inner.shape as Record<string, ZodTypeAny>)) {
        if (Object.prototype.hasOwnProperty.call(value, key)) visit(field, value[key], [...path, key]);
      }
    }
  };
  visit(schema, input, []);
  return limitedIssues(found.map(({ path, reason }) => ({ field: formatIssuePath(path), reason })));
}

/**
 * Parses untrusted input against `schema`: its bounds first, then the schema; throws ValidationError about
 * `subject`, naming each field and reason (never a value, never an unknown field's name).
 */
export function parseBounded<S extends ZodTypeAny>(
  schema: S,
  input: unknown,
  subject: string,
  bounds: InputBounds = {},
): z.output<S> {
  const oversized = inputBoundsIssues(schema, input, bounds);
  if (oversized.length > 0) throw new ValidationError(subject, oversized);
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(subject, fieldIssuesFromZod(result.error));
  return result.data as z.output<S>;
}
