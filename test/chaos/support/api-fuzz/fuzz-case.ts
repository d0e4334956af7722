/**
 * One generated request and what the API's contract says must happen to it, plus the helpers every case generator
 * shares: the example snapshot, well-formed headers, and the contract's verdict on a body.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiErrorCode } from '../../../../client/api/errors';
import { encounterIdParamSchema } from '../../../../client/api/openapi';
import {
  MAX_ATTACHMENT_BYTES,
  parseConsultationSnapshot,
  type ConsultationSnapshot,
  type ResolvedSnapshot,
} from '../../../../domain/snapshot';
import { ValidationError } from '../../../../domain/validation-error';
import { PROJECT_ROOT } from '../../../../tooling/paths';
import type { Prng } from '../prng';
import type { RawRequest } from '../raw-http';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** `accept`: 202 and one workflow started or signalled; `reject`: a 4xx naming field and reason, nothing started. */
export type Expectation = 'accept' | 'reject';

/** The contract's verdict, with the error code of a rejection where the fuzz knows which rule refuses it. */
export interface Verdict {
  expected: Expectation;
  rejection?: ApiErrorCode;
}

export interface FuzzCase {
  /** What the case does, e.g. `field/patient.nhsNumber/null`: printed with findings, so it names no value. */
  label: string;
  request: RawRequest;
  expected: Expectation;
  /** The error code the answer must carry, for rejections the fuzz knows the rule of (e.g. `snapshot_too_large`). */
  rejection?: ApiErrorCode;
  /** The encounter whose workflow a 202 starts or signals. */
  encounterId: string;
  /** Values the case sent that must never come back in the answer (the API echoes no value: it may be PHI). */
  canaries: string[];
  /**
   * Set when a change that no field allows (null, a wrong type, an unknown key…) still passes the snapshot
   * contract: a hole in the contract itself, reported as a finding whatever the API answers.
   */
  contractHole?: string;
}

/** What the contract's verdict depends on besides the body: the API's limits and which encounter already runs. */
export interface ContractContext {
  readonly bodyLimitBytes: number;
  /** Largest snapshot, encoded as Temporal stores it (FEDREPORT_API_MAX_SNAPSHOT_BYTES). */
  readonly maxSnapshotBytes: number;
  /**
   * The batch's control encounter: its workflow exists while the batch runs (started for CONTROL_PRACTICE_ODS), and
   * some cases aim at it.
   */
  readonly controlEncounterId: string;
}

export interface CaseContext extends ContractContext {
  readonly prng: Prng;
  readonly token: string;
  /** The key prototype-pollution payloads try to plant on Object.prototype; the runner checks it never appears. */
  readonly pollutionMarker: string;
}

const EXAMPLE_FILE = path.join(PROJECT_ROOT, 'examples', 'consultation-temporary-resident.json');
const example = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as JsonObject;

/**
 * The example consultation with one attachment and one confidential item added, so that the attachment fields and
 * the item flag are mutated too. Valid under the contract (the runner's control requests prove it).
 */
export function exampleSnapshot(encounterId: string, revision = 1): JsonObject {
  const snapshot = structuredClone(example);
  snapshot.encounterId = encounterId;
  snapshot.revision = revision;
  const consultation = snapshot.consultation as JsonObject;
  consultation.attachments = [
    { id: 'scan-1', title: 'Peak flow diary', contentType: 'application/pdf', data: 'JVBERi0xLjQKJeLjz9MK' },
  ];
  const sections = consultation.sections as JsonObject[];
  (sections[0]!.items as JsonObject[])[0]!.confidential = true;
  return snapshot;
}

/** The example patient's identifying values: none may appear in an answer or a log line. */
export const EXAMPLE_PHI: readonly string[] = (() => {
  const patient = example.patient as JsonObject;
  const name = patient.name as JsonObject;
  return [patient.nhsNumber, name.family, ...(name.given as string[]), patient.birthDate].map(String);
})();

export const eventsPath = (encounterId: string) => `/v1/encounters/${encounterId}/events`;

export function authorisedHeaders(ctx: CaseContext): [string, string][] {
  return [
    ['Host', '127.0.0.1'],
    ['Authorization', `Bearer ${ctx.token}`],
    ['Content-Type', 'application/json'],
  ];
}

/** A fresh encounter, or (one case in five) the batch's control encounter, whose workflow already exists. */
export function targetEncounter(ctx: CaseContext): string {
  return ctx.prng.chance(0.2) ? ctx.controlEncounterId : ctx.prng.uuid();
}

/** Lower-case letters no field of the example holds; planted in values to catch an answer that echoes them. */
export function canary(ctx: CaseContext): string {
  return `zq${ctx.prng.letters(10)}`;
}

/**
 * The AES-GCM codec adds fewer bytes than this to the JSON (test/unit/api/snapshot-size.test.ts). Generated sizes stay
 * further than that from the budget, so the JSON size alone decides.
 */
const CODEC_OVERHEAD_BOUND_BYTES = 200;

/** The hosting practice of the example snapshot: the control encounter's workflow runs for it. */
export const CONTROL_PRACTICE_ODS = (example.hostingPractice as JsonObject).odsCode as string;

/**
 * What the contract says of `body` posted with valid credentials to the events route of `pathId`: the same order of
 * checks the API documents (size, JSON syntax, prototype poisoning, path id, snapshot, path/body agreement, the
 * attachments' 5 MiB, hosting practice of a running encounter, snapshot budget with attachments by reference), judged by the snapshot schema itself, so the fuzzer tests the
 * wiring of the API rather than re-deciding each field rule.
 */
export function contractVerdict(ctx: ContractContext, pathId: string, body: Buffer): Verdict {
  const reject: Verdict = { expected: 'reject' };
  if (body.length === 0 || body.length > ctx.bodyLimitBytes) return reject;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return reject;
  }
  if (hasPoisonedKey(value) || !encounterIdParamSchema.safeParse(pathId).success) return reject;
  const snapshot = contractSnapshot(value);
  if (!snapshot || snapshot.encounterId.toLowerCase() !== pathId.toLowerCase()) return reject;
  const attachments = snapshot.consultation.attachments;
  if (attachments.reduce((sum, { data }) => sum + Buffer.byteLength(data, 'base64'), 0) > MAX_ATTACHMENT_BYTES)
    return { expected: 'reject', rejection: 'attachments_too_large' };
  const runningPractice = pathId.toLowerCase() === ctx.controlEncounterId ? CONTROL_PRACTICE_ODS : undefined;
  if (runningPractice !== undefined && snapshot.hostingPractice.odsCode !== runningPractice)
    return { expected: 'reject', rejection: 'hosting_practice_mismatch' };
  const jsonBytes = Buffer.byteLength(JSON.stringify(byReference(snapshot)));
  if (jsonBytes + CODEC_OVERHEAD_BOUND_BYTES > ctx.maxSnapshotBytes)
    return { expected: 'reject', rejection: 'snapshot_too_large' };
  return { expected: 'accept' };
}

/** The snapshot as the workflow gets it: each attachment's content in the archive, its digest and size in its place. */
function byReference(snapshot: ResolvedSnapshot): ConsultationSnapshot {
  const attachments = snapshot.consultation.attachments.map(({ data, ...described }) => ({
    ...described,
    sha256: '0'.repeat(64),
    sizeBytes: Buffer.byteLength(data, 'base64'),
  }));
  return { ...snapshot, consultation: { ...snapshot.consultation, attachments } };
}

/** The snapshot the contract makes of `value` (its bounds first, as the API checks them), if it takes it. */
function contractSnapshot(value: unknown): ResolvedSnapshot | undefined {
  try {
    return parseConsultationSnapshot(value);
  } catch (error) {
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

/** An own `__proto__` key, or a `constructor` object with a `prototype` key, anywhere (walked without recursion). */
function hasPoisonedKey(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return true;
    const record = node as Record<string, unknown>;
    const constructorValue = Object.prototype.hasOwnProperty.call(node, 'constructor')
      ? record.constructor
      : undefined;
    if (
      constructorValue !== null &&
      typeof constructorValue === 'object' &&
      Object.prototype.hasOwnProperty.call(constructorValue, 'prototype')
    ) {
      return true;
    }
    for (const key of Object.keys(record)) pending.push(record[key]);
  }
  return false;
}

/** A POST of `body` to the events route of `pathId` with valid credentials, judged by the contract. */
export function postCase(
  ctx: CaseContext,
  label: string,
  pathId: string,
  body: Buffer,
  extra: { canaries?: string[]; framing?: RawRequest['framing'] } = {},
): FuzzCase {
  return {
    label,
    request: {
      method: 'POST',
      target: eventsPath(pathId),
      headers: authorisedHeaders(ctx),
      body,
      framing: extra.framing,
    },
    ...contractVerdict(ctx, pathId, body),
    encounterId: pathId,
    canaries: extra.canaries ?? [],
  };
}

export const jsonBody = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
