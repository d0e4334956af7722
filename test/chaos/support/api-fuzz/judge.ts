/**
 * What is wrong with one answer, judged against the case's expectation and the API's documented shapes: a 202
 * carries the submission, every 4xx names the field at fault and the reason (and the error code the case expects, if
 * it names one), nothing 5xx, nothing echoed back.
 */
import { apiErrorBodySchema, submittedConsultationSchema } from '../../../../client/api/responses';
import type { RawExchange } from '../raw-http';
import { EXAMPLE_PHI, type FuzzCase } from './fuzz-case';

/** A rejection lists at most 50 issues; an answer larger than this is a flood answering a flood. */
const MAX_ANSWER_CHARACTERS = 16 * 1024;

export function answerProblems(fuzzCase: FuzzCase, answer: RawExchange): string[] {
  if (answer.kind === 'no-response') return [`no answer (${answer.reason})`];
  const { status, body } = answer;
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status} ${errorCode(body)}`);
  else if (fuzzCase.expected === 'accept' && status !== 202)
    problems.push(`valid input refused: ${status} ${errorCode(body)}`);
  else if (fuzzCase.expected === 'reject' && status < 400) problems.push(`invalid input answered ${status}`);
  else if (fuzzCase.rejection && errorCode(body) !== fuzzCase.rejection)
    problems.push(`expected ${fuzzCase.rejection}, answered ${status} ${errorCode(body)}`);
  if (status === 202) {
    const submitted = submittedConsultationSchema.safeParse(parseJson(body));
    if (!submitted.success || submitted.data.encounterId.toLowerCase() !== fuzzCase.encounterId) {
      problems.push('202 without the submission it stands for');
    }
  }
  // A HEAD answer has no body by definition; its status line is all there is to judge.
  if (status >= 400 && status < 500 && fuzzCase.request.method.toUpperCase() !== 'HEAD') {
    const rejection = apiErrorBodySchema.safeParse(parseJson(body));
    const named =
      rejection.success &&
      rejection.data.issues.length > 0 &&
      rejection.data.issues.every((issue) => issue.field.trim() && issue.reason.trim());
    if (!named) problems.push(`${status} answer names no field and reason`);
  }
  if (body.length > MAX_ANSWER_CHARACTERS) problems.push(`answer of ${body.length} characters`);
  if ([...fuzzCase.canaries, ...EXAMPLE_PHI].some((value) => body.includes(value))) {
    problems.push('the answer echoes a value the request sent');
  }
  return problems;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The rejection's code for a finding, or a word for what the answer is instead (never its content). */
function errorCode(body: string): string {
  const value = parseJson(body);
  if (value === undefined) return body === '' ? '(empty body)' : '(body not JSON)';
  const code = value !== null && typeof value === 'object' && 'error' in value ? value.error : undefined;
  return typeof code === 'string' ? code.slice(0, 40) : '(no error code)';
}
