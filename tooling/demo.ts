/**
 * `npm run demo`: posts the example consultations to the running local stack (`npm start`) as new encounters and
 * follows them until each settles (a report acknowledged, or no report required), with links into the Temporal UI.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FedreportClient } from '../client/sdk/fedreport-client';
import type { ConsultationSnapshotInput } from '../domain/snapshot';
import type { EncounterStatus } from '../workflows/encounter-messages';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import { STACK_FILE, type StackInfo } from './local-stack';
import { PROJECT_ROOT } from './paths';

const SETTLED: EncounterStatus['state'][] = ['acknowledged', 'not-required', 'blocked', 'rejected', 'undeliverable', 'needs-attention', 'cancelled', 'resolved'];
const TIMEOUT_MS = Number(process.env.FEDREPORT_DEMO_TIMEOUT_MS ?? 180_000);

async function main(): Promise<void> {
  if (!fs.existsSync(STACK_FILE)) throw new Error(`no running local stack found (${STACK_FILE} is missing): run npm start first`);
  const stack = JSON.parse(fs.readFileSync(STACK_FILE, 'utf8')) as StackInfo;
  const api = new FedreportClient({ baseUrl: stack.apiUrl, token: stack.apiToken });
  const dir = path.join(PROJECT_ROOT, 'examples');
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('consultation-') && f.endsWith('.json'));
  const started = Date.now();
  const encounters: { file: string; encounterId: string }[] = [];
  for (const file of files) {
    const snapshot = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as ConsultationSnapshotInput;
    // A fresh encounter each run, saved now, so the quiet period starts now.
    snapshot.encounterId = crypto.randomUUID();
    snapshot.savedAt = new Date().toISOString();
    snapshot.consultation.startedAt = new Date(Date.now() - 15 * 60_000).toISOString();
    await api.submitConsultation(snapshot);
    encounters.push({ file, encounterId: snapshot.encounterId });
    process.stdout.write(`submitted ${file} → ${stack.uiUrl}/namespaces/default/workflows/${encounterWorkflowId(snapshot.encounterId)}\n`);
  }
  const states = new Map<string, string>();
  for (;;) {
    for (const { encounterId } of encounters) {
      const status = await api.status(encounterId);
      states.set(encounterId, status ? `${status.state}${status.reportVersion ? ` v${status.reportVersion}` : ''}` : 'starting');
    }
    const line = encounters.map(({ file, encounterId }) => `${file.replace(/^consultation-|\.json$/g, '')}: ${states.get(encounterId)}`).join(' | ');
    process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
    if ([...states.values()].every((s) => SETTLED.some((settled) => s.startsWith(settled)))) break;
    if (Date.now() - started > TIMEOUT_MS) throw new Error('the demo encounters did not settle in time: see the worker log in the state folder');
    await new Promise((r) => setTimeout(r, 2_000));
  }
  process.stdout.write(`\nall demo encounters settled in ${((Date.now() - started) / 1000).toFixed(0)}s. Open ${stack.uiUrl} to see their histories.\n`);
  await api.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
