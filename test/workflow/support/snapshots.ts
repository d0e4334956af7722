import fs from 'node:fs';
import path from 'node:path';
import { parseConsultationSnapshot, type ConsultationSnapshot } from '../../../domain/snapshot';

const example = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../examples/consultation-temporary-resident.json'), 'utf8'),
) as Record<string, unknown>;

/** A valid snapshot saved at `savedAtMs` (workflow time), with the given revision and encounter. */
export function snapshotAt(
  savedAtMs: number,
  revision: number,
  overrides: { encounterId?: string; hostingOds?: string } = {},
): ConsultationSnapshot {
  const savedAt = new Date(savedAtMs).toISOString();
  const input = structuredClone(example) as any;
  input.revision = revision;
  input.savedAt = savedAt;
  input.consultation.startedAt = new Date(savedAtMs - 60_000).toISOString();
  if (overrides.encounterId) input.encounterId = overrides.encounterId;
  if (overrides.hostingOds) input.hostingPractice.odsCode = overrides.hostingOds;
  return parseConsultationSnapshot(input);
}
