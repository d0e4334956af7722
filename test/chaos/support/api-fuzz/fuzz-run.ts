/**
 * Runs generated requests against the API in batches and checks, after every batch: the API still answers
 * /health, Object.prototype is untouched, exactly the accepted requests started workflows (visibility API), the
 * batch's control encounter received only the accepted signals, and a valid control request still gets a 202.
 */
import { encounterWorkflowId } from '../../../../workflows/encounter-identity';
import { Prng } from '../prng';
import { exchange, type RawExchange, type RawRequest } from '../raw-http';
import {
  authorisedHeaders,
  eventsPath,
  exampleSnapshot,
  jsonBody,
  type CaseContext,
  type FuzzCase,
} from './fuzz-case';
import { generateCase } from './fuzz-cases';
import type { FuzzTarget } from './fuzz-target';
import { answerProblems } from './judge';
import { encounterWorkflowsStartedSince, signalsReceived, terminateAll } from './workflow-ledger';

export interface FuzzRunOptions {
  requests: number;
  batchSize: number;
  /** Requests in flight at once. */
  concurrency: number;
  seed: number;
  /** No batch starts after this long; the report says whether every request was sent. */
  timeBudgetMs: number;
  /** Longest wait for one answer. */
  requestTimeoutMs?: number;
  /** Called after each batch (progress for long runs). */
  onBatch?: (requestsDone: number) => void;
}

export interface FuzzFinding {
  /** Position in the generated sequence: the seed regenerates the same request at the same position. */
  caseIndex: number;
  label: string;
  problem: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  /** Every requested request was sent (false: the time budget ran out first). */
  completed: boolean;
  seconds: number;
  requestsPerSecond: number;
  /** Answers by status code; `none` for requests that got no answer. */
  statuses: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
  /** Fuzzed requests the contract says the API must take (unusual but valid), besides the controls. */
  validRequests: number;
  /** Batches after which the API no longer answered /health (the run stops at the first). */
  crashes: number;
  serverErrors: number;
  workflowsStarted: number;
  workflowsStartedForInvalidInput: number;
  /** API log lines at error level, and lines carrying patient data or the token. */
  errorLogLines: number;
  sensitiveLogLines: number;
  findings: FuzzFinding[];
}

const CONTROL_CASE_INDEX = -1;

export async function runApiFuzz(target: FuzzTarget, options: FuzzRunOptions): Promise<FuzzReport> {
  const prng = new Prng(options.seed);
  const pollutionMarker = `fuzzPolluted${prng.letters(8)}`;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const findings: FuzzFinding[] = [];
  const totals = {
    requests: 0,
    validRequests: 0,
    crashes: 0,
    serverErrors: 0,
    workflowsStarted: 0,
    startedForInvalid: 0,
  };
  const started = performance.now();
  let casesGenerated = 0;

  while (totals.requests < options.requests && performance.now() - started < options.timeBudgetMs) {
    const ctx: CaseContext = {
      prng,
      token: target.token,
      bodyLimitBytes: target.bodyLimitBytes,
      maxSnapshotBytes: target.maxSnapshotBytes,
      controlEncounterId: prng.uuid(),
      pollutionMarker,
    };
    const size = Math.min(options.batchSize, options.requests - totals.requests);
    const cases = Array.from({ length: size }, () => ({
      index: casesGenerated++,
      fuzzCase: generateCase(ctx),
    }));
    const since = new Date();

    const control = (revision: number) => exchange(target.port, controlRequest(ctx, revision), timeoutMs);
    const opening = await control(1);
    const answers = await inParallel(cases, options.concurrency, ({ fuzzCase }) =>
      exchange(target.port, fuzzCase.request, timeoutMs),
    );
    const closing = await control(2);

    for (const [i, { index, fuzzCase }] of cases.entries()) {
      const answer = answers[i]!;
      const status = answer.kind === 'response' ? String(answer.status) : 'none';
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (answer.kind === 'response') latencies.push(answer.ms);
      if (answer.kind === 'response' && answer.status >= 500) totals.serverErrors += 1;
      if (fuzzCase.expected === 'accept') totals.validRequests += 1;
      const problems = answerProblems(fuzzCase, answer);
      if (fuzzCase.contractHole) problems.push(fuzzCase.contractHole);
      for (const problem of problems) findings.push({ caseIndex: index, label: fuzzCase.label, problem });
    }
    for (const [revision, answer] of [opening, closing].entries()) {
      if (answer.kind !== 'response' || answer.status !== 202) {
        findings.push({
          caseIndex: CONTROL_CASE_INDEX,
          label: `control/revision-${revision + 1}`,
          problem: `valid control answered ${describe(answer)}`,
        });
      }
    }
    totals.requests += size;

    const health = await exchange(
      target.port,
      { method: 'GET', target: '/health', headers: [['Host', '127.0.0.1']] },
      timeoutMs,
    );
    if (health.kind !== 'response' || health.status !== 200) {
      totals.crashes += 1;
      findings.push({
        caseIndex: CONTROL_CASE_INDEX,
        label: 'health',
        problem: `after the batch /health answered ${describe(health)}`,
      });
      break;
    }
    if (Object.prototype.hasOwnProperty.call(Object.prototype, pollutionMarker)) {
      findings.push({
        caseIndex: CONTROL_CASE_INDEX,
        label: 'prototype',
        problem: 'a request planted a key on Object.prototype',
      });
    }

    const workflows = await checkWorkflows(target, ctx, cases, answers, since, findings);
    totals.workflowsStarted += workflows.started;
    totals.startedForInvalid += workflows.startedForInvalid;
    options.onBatch?.(totals.requests);
  }

  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    seed: options.seed,
    requests: totals.requests,
    completed: totals.requests >= options.requests,
    seconds,
    requestsPerSecond: totals.requests / seconds,
    statuses,
    latencyMs: {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies[latencies.length - 1] ?? NaN,
    },
    validRequests: totals.validRequests,
    crashes: totals.crashes,
    serverErrors: totals.serverErrors,
    workflowsStarted: totals.workflowsStarted,
    workflowsStartedForInvalidInput: totals.startedForInvalid,
    errorLogLines: target.log.errorLines,
    sensitiveLogLines: target.log.sensitiveLines,
    findings,
  };
}

/** A plain valid submission for the batch's control encounter. */
function controlRequest(ctx: CaseContext, revision: number): RawRequest {
  return {
    method: 'POST',
    target: eventsPath(ctx.controlEncounterId),
    headers: authorisedHeaders(ctx),
    body: jsonBody(exampleSnapshot(ctx.controlEncounterId, revision)),
  };
}

/**
 * The workflows started in the batch must be exactly those of the control and of the valid requests answered 202;
 * the control must have received its two signals plus those of valid requests aimed at it, and no more. All are
 * terminated afterwards.
 */
async function checkWorkflows(
  target: FuzzTarget,
  ctx: CaseContext,
  cases: { index: number; fuzzCase: FuzzCase }[],
  answers: RawExchange[],
  since: Date,
  findings: FuzzFinding[],
): Promise<{ started: number; startedForInvalid: number }> {
  const controlId = encounterWorkflowId(ctx.controlEncounterId);
  const acceptedCases = cases.filter(({ fuzzCase }, i) => {
    const answer = answers[i]!;
    return fuzzCase.expected === 'accept' && answer.kind === 'response' && answer.status === 202;
  });
  const entitled = new Set([
    controlId,
    ...acceptedCases.map(({ fuzzCase }) => encounterWorkflowId(fuzzCase.encounterId)),
  ]);
  const started = await encounterWorkflowsStartedSince(target.client, since, entitled.size);
  try {
    const startedForInvalid = started.filter((id) => !entitled.has(id));
    for (const id of startedForInvalid) {
      const culprits = cases.filter(({ fuzzCase }) => encounterWorkflowId(fuzzCase.encounterId) === id);
      for (const { index, fuzzCase } of culprits)
        findings.push({
          caseIndex: index,
          label: fuzzCase.label,
          problem: 'started a workflow for invalid input',
        });
    }
    const missing = [...entitled].filter((id) => !started.includes(id));
    if (missing.length > 0) {
      findings.push({
        caseIndex: CONTROL_CASE_INDEX,
        label: 'workflows',
        problem: `${missing.length} accepted request(s) left no visible workflow`,
      });
    }
    const expectedSignals =
      2 + acceptedCases.filter(({ fuzzCase }) => fuzzCase.encounterId === ctx.controlEncounterId).length;
    const signals = await signalsReceived(target.client, controlId);
    if (signals !== expectedSignals) {
      findings.push({
        caseIndex: CONTROL_CASE_INDEX,
        label: 'control/signals',
        problem: `the control workflow received ${signals} signals, ${expectedSignals} expected`,
      });
    }
    return { started: started.length, startedForInvalid: startedForInvalid.length };
  } finally {
    await terminateAll(target.client, started, 'API fuzz: batch checked');
  }
}

function describe(answer: RawExchange): string {
  return answer.kind === 'response' ? String(answer.status) : `nothing (${answer.reason})`;
}

async function inParallel<T, R>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
