/**
 * The consultations the end-to-end benchmarks submit, and the bounded loops that submit and wait for them. Every
 * consultation is the temporary-resident example with a fresh encounter GUID, for one of the two synthetic patients
 * whose PDS records place them at two other practices of the hosting practice's federation: the MESH router delivers
 * their reports to those two practices' mailboxes, which the simulator drains side by side. The patient data is
 * synthetic, and none of it is printed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseConsultationSnapshot, type ConsultationSnapshot } from '../../domain/snapshot';
import { SYNTHETIC_PATIENTS } from '../../simulators/pds/patients';
import { PROJECT_ROOT } from '../../tooling/paths';
import { registeredPracticeMailboxes } from './practice-mailboxes';

const TEMPLATE = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'consultation-temporary-resident.json'), 'utf8'));
/** Registered at Y90002 and Y90003: reports are required and go to two different practices. */
const BENCH_NHS_NUMBERS = [SYNTHETIC_PATIENTS.atY90002, SYNTHETIC_PATIENTS.atY90003];

/** Consultation `index` of a run (patients alternate), saved now unless `savedAt` says otherwise. */
export function benchConsultation(index: number, options: { encounterId?: string; revision?: number; savedAt?: Date } = {}): ConsultationSnapshot {
  const savedAt = options.savedAt ?? new Date();
  return parseConsultationSnapshot({
    ...TEMPLATE,
    encounterId: options.encounterId ?? crypto.randomUUID(),
    revision: options.revision ?? 1,
    savedAt: savedAt.toISOString(),
    patient: { ...TEMPLATE.patient, nhsNumber: BENCH_NHS_NUMBERS[index % BENCH_NHS_NUMBERS.length] },
    consultation: { ...TEMPLATE.consultation, startedAt: new Date(savedAt.getTime() - 60_000).toISOString() },
  });
}

/** Where the MESH router delivers bench patient `index`'s reports: the registered practice's mailbox. */
export function benchPracticeMailbox(index: number): string {
  return registeredPracticeMailboxes([BENCH_NHS_NUMBERS[index % BENCH_NHS_NUMBERS.length]!])[0]!;
}

/** The registered practices' mailboxes the bench consultations reach (X26ABC2, X26ABC3): the simulator polls them. */
export function benchRecipientMailboxes(): string[] {
  return registeredPracticeMailboxes(BENCH_NHS_NUMBERS);
}

/**
 * Runs `task` for indexes 0..count-1 with at most `concurrency` in flight; fails when the time budget runs out, so a
 * stalled server ends the bench instead of hanging it.
 */
export async function forEachBounded(
  count: number,
  concurrency: number,
  budgetMs: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + budgetMs;
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      if (Date.now() > deadline) throw new Error(`time budget of ${budgetMs / 1000} s ran out after ${index} of ${count} tasks`);
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** signalWithStart calls in flight: like a few busy API instances. */
export const SUBMIT_CONCURRENCY = 16;

/** Submits every snapshot (`submit` is the hook's signalWithStart or the ceiling's twin of it) with bounded concurrency. */
export async function submitAll(
  snapshots: readonly ConsultationSnapshot[],
  submit: (snapshot: ConsultationSnapshot) => Promise<unknown>,
  budgetMs: number,
): Promise<void> {
  await forEachBounded(snapshots.length, SUBMIT_CONCURRENCY, budgetMs, (index) => submit(snapshots[index]!));
}

/** Polls `probe` every `intervalMs` until it returns true; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, { timeoutMs, intervalMs = 250 }: { timeoutMs: number; intervalMs?: number }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
