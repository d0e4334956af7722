/**
 * The document inbox on the real PostgreSQL (issue 18): documents held through the repository (each sealed, as the
 * receiving activities hold them), then a practice's page of new documents, one document's metadata (its sealed
 * document and NHS number opened) and its PDF, over 200,000 received documents of 200 practices (20,000 with
 * --quick), against a lookup by primary key on the same table in the same run. `npm run bench -- documents [--quick]`.
 * Target: a page of new documents p99 ≤ 50 ms.
 *
 * The bulk rows are generated inside PostgreSQL with one sealed blob as every body (a page reads plain columns only);
 * the documents listed and opened are real ones, held through the repository with a 40 KB PDF.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { parseCodecKeyring } from '../common/codec-keys';
import { openArchiveDb, type ArchiveDb } from '../integrations/store/database';
import { FieldEncryption } from '../integrations/store/field-encryption';
import { ReceivedDocumentQueries } from '../integrations/store/received-document-queries';
import { ReceivedDocumentRepository } from '../integrations/store/received-document-repository';
import { startPostgresServer } from '../tooling/postgres-server';
import { percentile, timed } from './archive';
import type { BenchRow } from './results';

const TARGET_P99_MS = 50;
const PRACTICE = 'Y00001';
const PAGE = 100;
const HOLD_CONCURRENCY = 8;

export interface DocumentsBenchResult {
  rows: number;
  holdsPerSecond: number;
  reads: number;
  pageP50Ms: number;
  pageP99Ms: number;
  metadataP50Ms: number;
  metadataP99Ms: number;
  pdfP50Ms: number;
  pdfP99Ms: number;
  primaryKeyP99Ms: number;
  loadAverage: number;
}

/** Holds `count` documents for PRACTICE through the repository, HOLD_CONCURRENCY at a time. */
async function holdDocuments(
  documents: ReceivedDocumentRepository,
  count: number,
): Promise<{ perSecond: number; ids: string[] }> {
  const pdf = crypto.randomBytes(40_000).toString('base64');
  const ids = Array.from({ length: count }, (_, i) => `BENCH_${String(i).padStart(6, '0')}`);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < ids.length) {
      const meshMessageId = ids[next++] as string;
      await documents.hold({
        mailbox: `${PRACTICE}MB`,
        meshMessageId,
        messageHeaderId: crypto.randomUUID(),
        senderReference: crypto.randomUUID(),
        senderOds: 'Y90001',
        practiceOds: PRACTICE,
        receivedAt: new Date(Date.now() - crypto.randomInt(86_400_000)).toISOString(),
        nhsNumber: '9434765919',
        documentId: crypto.randomUUID(),
        version: 1,
        document: {
          payloadVersion: 'composition',
          documentId: crypto.randomUUID(),
          version: 1,
          nhsNumber: '9434765919',
          attachments: [{ contentType: 'application/pdf', base64: pdf }],
        },
      });
    }
  };
  const { ms } = await timed(() => Promise.all(Array.from({ length: HOLD_CONCURRENCY }, lane)));
  return { perSecond: (count / ms) * 1_000, ids };
}

/** Generates received documents [0, rows) of 200 practices over a year, nine in ten already filed. */
async function generateRows(db: ArchiveDb, rows: number, blob: Buffer): Promise<void> {
  await sql`
    insert into received_messages (mesh_message_id, mailbox, local_id, encounter_guid, sender_ods, recipient_ods,
      sha256, state, received_at, key_id, nhs_number_hash, sealed_body, sealed_patient)
    select 'GEN_' || g, 'Y' || lpad((g % 200)::text, 5, '0') || 'MB', md5('m' || g)::uuid::text,
      md5('e' || g)::uuid::text, 'Y90001', 'Y' || lpad((g % 200)::text, 5, '0'), md5('b' || g) || md5('c' || g),
      case when g % 10 = 0 then 'held' else 'filed' end, now() - (g % 365) * interval '1 day', 'k1',
      md5('p' || g), ${blob}, ${blob}
    from generate_series(0::bigint, ${rows - 1}::bigint) as g`.execute(db);
}

async function latencies(reads: number, read: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < reads; i += 1) ms.push((await timed(() => read(i))).ms);
  return ms.sort((a, b) => a - b);
}

export async function runDocumentsBench({ quick }: { quick: boolean }): Promise<DocumentsBenchResult> {
  const rows = quick ? 20_000 : 200_000;
  const reads = quick ? 200 : 1_000;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-documents-bench-'));
  const server = await startPostgresServer({ logFile: path.join(workDir, 'postgresql.log') });
  const db = await openArchiveDb({ url: server.url, poolSize: HOLD_CONCURRENCY });
  try {
    const keyring = parseCodecKeyring({ keys: { k1: crypto.randomBytes(32).toString('base64') } }, 'bench');
    const encryption = new FieldEncryption(keyring, 'k1');
    const documents = new ReceivedDocumentRepository(db, encryption);
    const queries = new ReceivedDocumentQueries(db, encryption);
    const held = await holdDocuments(documents, quick ? 200 : 2_000);
    console.log(`documents: ${held.ids.length} held through the repository, ${held.perSecond.toFixed(0)}/s`);
    await generateRows(db, rows, encryption.seal('k1', crypto.randomBytes(4_096), 'bench'));
    await sql`analyze received_messages`.execute(db);

    const id = (i: number) => held.ids[i % held.ids.length] as string;
    const page = () => queries.list({ practices: [PRACTICE], state: 'held', limit: PAGE + 1 });
    await Promise.all(Array.from({ length: HOLD_CONCURRENCY * 4 }, page)); // warm-up: connections, index pages
    const pageMs = await latencies(reads, page);
    const metadataMs = await latencies(reads, (i) => queries.metadata(id(i)));
    const pdfMs = await latencies(reads, (i) => queries.pdf(id(i)));
    const keyMs = await latencies(reads, (i) => queries.summary(id(i)));
    const result: DocumentsBenchResult = {
      rows: rows + held.ids.length,
      holdsPerSecond: held.perSecond,
      reads,
      pageP50Ms: percentile(pageMs, 0.5),
      pageP99Ms: percentile(pageMs, 0.99),
      metadataP50Ms: percentile(metadataMs, 0.5),
      metadataP99Ms: percentile(metadataMs, 0.99),
      pdfP50Ms: percentile(pdfMs, 0.5),
      pdfP99Ms: percentile(pdfMs, 0.99),
      primaryKeyP99Ms: percentile(keyMs, 0.99),
      loadAverage: os.loadavg()[0] ?? 0,
    };
    console.log(
      `documents: over ${result.rows.toLocaleString('en-GB')} rows: page of ${PAGE} new p50 ${result.pageP50Ms.toFixed(2)} ms, ` +
        `p99 ${result.pageP99Ms.toFixed(2)} ms (target ≤ ${TARGET_P99_MS} ms); metadata p99 ${result.metadataP99Ms.toFixed(2)} ms; ` +
        `PDF p99 ${result.pdfP99Ms.toFixed(2)} ms; by primary key p99 ${result.primaryKeyP99Ms.toFixed(2)} ms`,
    );
    return result;
  } finally {
    await db.destroy();
    await server.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export function documentsRow(result: DocumentsBenchResult): BenchRow {
  return {
    figures:
      `${result.rows.toLocaleString('en-GB')} received documents: holds through the repository ${result.holdsPerSecond.toFixed(0)}/s ` +
      `(40 KB PDF, sealed, ${HOLD_CONCURRENCY} in flight); page of ${PAGE} new p50 ${result.pageP50Ms.toFixed(2)} ms, ` +
      `p99 ${result.pageP99Ms.toFixed(2)} ms; metadata p50 ${result.metadataP50Ms.toFixed(2)} ms, p99 ${result.metadataP99Ms.toFixed(2)} ms; ` +
      `PDF p50 ${result.pdfP50Ms.toFixed(2)} ms, p99 ${result.pdfP99Ms.toFixed(2)} ms (${result.reads} reads each); ` +
      `load ${result.loadAverage.toFixed(1)} on ${os.cpus().length} cores`,
    ratio: `page p99 ${(result.pageP99Ms / result.primaryKeyP99Ms).toFixed(2)}× primary-key lookup p99 (${result.primaryKeyP99Ms.toFixed(2)} ms)`,
    ...(result.pageP99Ms > TARGET_P99_MS && {
      failure: `page of new documents p99 ${result.pageP99Ms.toFixed(2)} ms over ${TARGET_P99_MS} ms`,
    }),
  };
}
