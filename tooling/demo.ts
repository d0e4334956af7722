/**
 * `npm run demo [-- FILE...]`: posts consultations to the running local stack (`npm start`) as new encounters (the
 * example consultations, or the snapshot files given) and follows them until each settles (a report acknowledged, no
 * report required, or a failure with its reason), with links into the Temporal UI. Each run is a fresh encounter,
 * saved now, so the quiet period starts now. For each report sent it then shows the other end: the registered
 * practice's receiver (fedreport's own in the local stack) that filed it and answered.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FedreportApiError, FedreportClient } from '../client/sdk/fedreport-client';
import type { ConsultationSnapshotInput } from '../domain/snapshot';
import type { EncounterStatus } from '../workflows/encounter-messages';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import { ReceivingSide } from './demo-receiving';
import { STACK_FILE, STATE_DIR, type StackInfo } from './local-stack';
import { PROJECT_ROOT } from './paths';

const SETTLED: EncounterStatus['state'][] = ['acknowledged', 'not-required', 'blocked', 'rejected', 'undeliverable', 'needs-attention', 'cancelled', 'resolved'];
const TIMEOUT_MS = Number(process.env.FEDREPORT_DEMO_TIMEOUT_MS ?? 180_000);

interface Submitted {
  label: string;
  encounterId: string;
}

/** The files given on the command line, else every example consultation. */
function snapshotFiles(args: string[]): string[] {
  if (args.length > 0) return args.map((file) => path.resolve(file));
  const dir = path.join(PROJECT_ROOT, 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('consultation-') && f.endsWith('.json'))
    .map((f) => path.join(dir, f));
}

async function submit(api: FedreportClient, stack: StackInfo, file: string): Promise<Submitted> {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as ConsultationSnapshotInput;
  snapshot.encounterId = crypto.randomUUID();
  snapshot.savedAt = new Date().toISOString();
  snapshot.consultation.startedAt = new Date(Date.now() - 15 * 60_000).toISOString();
  await api.submitConsultation(snapshot);
  process.stdout.write(
    `submitted ${path.basename(file)} → ${stack.uiUrl}/namespaces/default/workflows/${encounterWorkflowId(snapshot.encounterId)}\n`,
  );
  return {
    label: path.basename(file).replace(/^consultation-|\.json$/g, ''),
    encounterId: snapshot.encounterId,
  };
}

/** Polls every encounter until all have settled; returns their last statuses. */
async function follow(
  api: FedreportClient,
  encounters: Submitted[],
): Promise<Map<string, EncounterStatus | null>> {
  const started = Date.now();
  const statuses = new Map<string, EncounterStatus | null>();
  const summary = (status: EncounterStatus | null | undefined): string =>
    status ? `${status.state}${status.reportVersion ? ` v${status.reportVersion}` : ''}` : 'starting';
  for (;;) {
    for (const { encounterId } of encounters) {
      // 503: no worker answered this status query in time (one restarting, a fresh task queue); ask again next round.
      const status = await api.status(encounterId).catch((error: unknown) => {
        if (error instanceof FedreportApiError && error.status === 503) return statuses.get(encounterId) ?? null;
        throw error;
      });
      statuses.set(encounterId, status);
    }
    const line = encounters
      .map(({ label, encounterId }) => `${label}: ${summary(statuses.get(encounterId))}`)
      .join(' | ');
    process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
    if ([...statuses.values()].every((s) => s && SETTLED.includes(s.state))) return statuses;
    if (Date.now() - started > TIMEOUT_MS)
      throw new Error('the demo encounters did not settle in time: see the worker log in the state folder');
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(STACK_FILE))
    throw new Error(`no running local stack found (${STACK_FILE} is missing): run npm start first`);
  const stack = JSON.parse(fs.readFileSync(STACK_FILE, 'utf8')) as StackInfo;
  const api = new FedreportClient({ baseUrl: stack.apiUrl, token: stack.apiToken });
  const started = Date.now();
  const encounters: Submitted[] = [];
  for (const file of snapshotFiles(process.argv.slice(2))) encounters.push(await submit(api, stack, file));
  const statuses = await follow(api, encounters);
  for (const { label, encounterId } of encounters) {
    const detail = statuses.get(encounterId)?.detail;
    if (detail) process.stdout.write(`  ${label}: ${detail}\n`);
  }
  const receiving = await ReceivingSide.connect(stack, STATE_DIR);
  for (const { label, encounterId } of encounters) {
    const line = await receiving.describe(encounterId);
    if (line) process.stdout.write(`  ${label}: ${line}\n`);
  }
  await receiving.close();
  process.stdout.write(
    `\nall demo encounters settled in ${((Date.now() - started) / 1000).toFixed(0)}s. Open ${stack.uiUrl} to see their histories.\n`,
  );
  await api.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
