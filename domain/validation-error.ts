import type { ZodError, ZodIssue, ZodTypeAny, output } from 'zod';

/** One rejected field: a dotted path into the input (`patient.name.family`) and why it was rejected. */
export interface FieldIssue {
  field: string;
  reason: string;
}

/** Input that failed a contract. The message names every field and reason; no field values are echoed (PHI). */
export class ValidationError extends Error {
  constructor(
    readonly subject: string,
    readonly issues: FieldIssue[],
  ) {
    super(`${subject} is invalid: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
    this.name = 'ValidationError';
  }
}

/** Enough to show the sender the pattern without answering a flood with a flood. */
export const MAX_REPORTED_ISSUES = 50;

/** The first `max` issues, and one more saying how many were left out (none when they all fit). */
export function limitedIssues(issues: FieldIssue[], max = MAX_REPORTED_ISSUES): FieldIssue[] {
  if (issues.length <= max) return issues;
  return [
    ...issues.slice(0, max),
    { field: '(further issues)', reason: `${issues.length - max} more not listed` },
  ];
}

export interface ZodIssueOptions {
  /**
   * Name the unknown fields of an object. Only for files the operator wrote (a misspelt setting is worth naming);
   * input from other parties is never echoed, a key name included.
   */
  nameUnknownFields?: boolean;
}

/** Parses `input` with `schema`, or throws a ValidationError naming `subject` and every field and reason. */
export function parseOrThrow<S extends ZodTypeAny>(
  schema: S,
  input: unknown,
  subject: string,
  options: ZodIssueOptions = {},
): output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(subject, fieldIssuesFromZod(parsed.error, options));
  return parsed.data as output<S>;
}

export function fieldIssuesFromZod(error: ZodError, options: ZodIssueOptions = {}): FieldIssue[] {
  const issues = error.issues.map((issue) => ({
    field: formatIssuePath(issue.path),
    reason: describeIssue(issue, options),
  }));
  return limitedIssues(issues);
}

/** `consultation.sections[3].title`; the root is `(root)`. */
export function formatIssuePath(path: (string | number)[]): string {
  const text = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return text || '(root)';
}

/** zod's default messages can quote the received value; these never do, so patient data stays out of errors. */
function describeIssue(issue: ZodIssue, { nameUnknownFields = false }: ZodIssueOptions): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? 'is required'
        : `must be ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return `must be one of ${issue.options.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return nameUnknownFields
        ? `has unknown field(s) ${issue.keys.join(', ')}`
        : `has ${issue.keys.length} unknown field(s)`;
    case 'too_small':
      return issue.type === 'array' ? `needs at least ${issue.minimum} item(s)` : issue.message;
    case 'too_big':
      return issue.type === 'array' ? `allows at most ${issue.maximum} item(s)` : issue.message;
    default:
      return issue.message;
  }
}
