/**
 * Completeness reconciliation (GPCM-SD-076): the clinical system lists the federated encounters it saved for a
 * practice in a period, and fedreport says which it never heard of (missed hooks) and the state of the others.
 * Pure: the request contract and the comparison; the lookup in Temporal is the client's (client/reconciliation.ts).
 */
import { z } from 'zod';
import { isoDateTime } from './snapshot';
import { parseBounded } from './input-bounds';

/** Bounds one request (about 400 KB of GUIDs): a busy practice's month, answered in seconds. */
export const MAX_RECONCILIATION_ENCOUNTERS = 10_000;

export const reconciliationRequestSchema = z
  .object({
    /** The period the list covers (the clinical system's save times): echoed in the answer, for the record. */
    from: isoDateTime,
    to: isoDateTime,
    encounterIds: z.array(z.string().max(36, 'must be a GUID').uuid('must be a GUID')).min(1).max(MAX_RECONCILIATION_ENCOUNTERS),
  })
  .strict()
  .superRefine(({ from, to }, ctx) => {
    if (Date.parse(from) > Date.parse(to))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'must not be before from' });
  });

export type ReconciliationRequest = z.output<typeof reconciliationRequestSchema>;

export function parseReconciliationRequest(input: unknown): ReconciliationRequest {
  return parseBounded(reconciliationRequestSchema, input, 'reconciliation request');
}

/** What fedreport holds for one encounter GUID (its latest workflow run), from visibility: no PHI. */
export interface EncounterRecord {
  practiceOds?: string;
  state?: string;
  running: boolean;
}

export interface ReconciledEncounter {
  encounterId: string;
  state: string;
  running: boolean;
}

export interface Reconciliation {
  /** Distinct GUIDs compared (case-insensitive). */
  checked: number;
  /** No encounter in fedreport: saves whose hook never arrived. */
  missing: string[];
  /** fedreport holds the encounter for another hosting practice: the list or the saves name the wrong practice. */
  otherPractice: string[];
  /** The practice's encounters, with their reporting state and whether their workflow still runs. */
  encounters: ReconciledEncounter[];
  /** How many of `encounters` are in each state. */
  states: Record<string, number>;
}

/** Compares the list with what fedreport holds (keyed by lower-case GUID); GUIDs keep the caller's spelling. */
export function reconcile(
  practiceOds: string,
  encounterIds: readonly string[],
  held: ReadonlyMap<string, EncounterRecord>,
): Reconciliation {
  const result: Reconciliation = { checked: 0, missing: [], otherPractice: [], encounters: [], states: {} };
  for (const encounterId of distinctGuids(encounterIds)) {
    result.checked += 1;
    const record = held.get(encounterId.toLowerCase());
    if (!record) result.missing.push(encounterId);
    else if (record.practiceOds !== practiceOds) result.otherPractice.push(encounterId);
    else {
      const state = record.state ?? 'unknown';
      result.encounters.push({ encounterId, state, running: record.running });
      result.states[state] = (result.states[state] ?? 0) + 1;
    }
  }
  return result;
}

/** The GUIDs in order of first appearance, each once whatever its case. */
export function distinctGuids(encounterIds: readonly string[]): string[] {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const id of encounterIds) {
    const key = id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(id);
  }
  return distinct;
}
