import type { ZodError, ZodIssue } from 'zod';

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

export function fieldIssuesFromZod(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: formatPath(issue.path) || '(root)', reason: describeIssue(issue) }));
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** zod's default messages can quote the received value; these never do, so patient data stays out of errors. */
function describeIssue(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? 'is required' : `must be ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return `must be one of ${issue.options.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown field(s) ${issue.keys.join(', ')}`;
    case 'too_small':
      return issue.type === 'array' ? `needs at least ${issue.minimum} item(s)` : issue.message;
    case 'too_big':
      return issue.type === 'array' ? `allows at most ${issue.maximum} item(s)` : issue.message;
    default:
      return issue.message;
  }
}
