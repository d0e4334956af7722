/**
 * The consultations a chaos scenario saves: the example snapshots under fresh encounter ids drawn from the seeded
 * generator, each saved one to three times (later revisions inside the quiet period, so still one report). Most
 * patients are registered at another practice of the federation (a report is required); the regular-registration
 * example's patient is registered at the hosting practice, so that encounter must end `not-required` with nothing sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseConsultationSnapshot, type ConsultationSnapshot } from '../../domain/snapshot';
import type { Prng } from '../../test/chaos/support/prng';
import { PROJECT_ROOT } from '../../tooling/paths';
import { registeredPracticeMailboxes } from '../support/practice-mailboxes';

/** The example snapshots' hosting practice (Riverside Medical Centre) and its mailbox. */
export const CHAOS_HOSTING_PRACTICE = 'Y90001';
export const CHAOS_SENDER_MAILBOX = 'X26ABC1';

const TEMPLATES: readonly { file: string; reportRequired: boolean }[] = [
  { file: 'consultation-temporary-resident.json', reportRequired: true },
  { file: 'consultation-two-page.json', reportRequired: true },
  { file: 'consultation-confidential-items.json', reportRequired: true },
  { file: 'consultation-regular-registration.json', reportRequired: false },
];

export interface PlannedConsultation {
  encounterId: string;
  reportRequired: boolean;
  /** Revisions 1..n of one consultation, saved in this order. */
  saves: ConsultationSnapshot[];
}

export function planConsultations(count: number, prng: Prng): PlannedConsultation[] {
  const templates = TEMPLATES.map((t) => ({
    ...t,
    json: JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', t.file), 'utf8')) as Record<string, unknown>,
  }));
  return Array.from({ length: count }, () => {
    const template = prng.pick(templates);
    const encounterId = prng.uuid();
    const revisions = prng.int(1, 3);
    const saves = Array.from({ length: revisions }, (_, i) =>
      parseConsultationSnapshot({ ...template.json, encounterId, revision: i + 1 }),
    );
    return { encounterId, reportRequired: template.reportRequired, saves };
  });
}

/** Every registered practice's mailbox the MESH router delivers the plan's required reports to. */
export function recipientMailboxesOf(plan: readonly PlannedConsultation[]): string[] {
  return registeredPracticeMailboxes(plan.filter((c) => c.reportRequired).map((c) => c.saves[0]!.patient.nhsNumber));
}

/**
 * The snapshot stamped with the moment it is really saved: the quiet period counts from the clinical system's clock,
 * and a consultation cannot start after it was saved, so it starts a few minutes before.
 */
export function savedNow(snapshot: ConsultationSnapshot): ConsultationSnapshot {
  const now = Date.now();
  return {
    ...snapshot,
    savedAt: new Date(now).toISOString(),
    consultation: { ...snapshot.consultation, startedAt: new Date(now - 10 * 60_000).toISOString() },
  };
}
