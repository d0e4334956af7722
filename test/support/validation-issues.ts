import { ValidationError, type FieldIssue } from '../../domain/validation-error';

/** The field issues `action` is rejected with; fails the test if it is accepted or fails in another way. */
export function validationIssues(action: () => unknown): FieldIssue[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}
