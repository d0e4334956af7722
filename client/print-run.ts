/**
 * One print run of a hosting practice's queue (issue 17, print fallback): every queued report's PDF as it was sent,
 * merged into one file for the post room; then each is recorded as posted and its encounter resolved with the reason
 * "sent by post" through the operator `resolve` Update. The file is written before anything is recorded, so a failed
 * write leaves the queue as it was; once recorded, a report never prints twice.
 */
import fs from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { readReportPdf } from '../integrations/itk3';
import { mergePdfs } from '../integrations/report/merge-pdfs';
import type { ArchiveRepository } from '../integrations/store/archive-repository';
import type { PrintQueue, QueuedReport } from '../integrations/store/print-queue';
import { encounterWorkflowId } from '../workflows/encounter-identity';
import { commandEncounter, parseOperatorAction, settleEach, type Settled } from './operations';

export const SENT_BY_POST = 'sent by post';

export interface PrintRunOptions {
  practiceOds: string;
  out: string;
  /** Who printed (operator name or ticket): the postal record and the resolve Update's audit. */
  by: string;
  /** How long each encounter's worker has to accept the resolve. */
  timeoutMs: number;
}

export interface PrintRun {
  reports: QueuedReport[];
  pages: number;
  /** Per encounter GUID: resolved, or the refusal or failure (the report is recorded as posted either way). */
  resolutions: Settled<string, unknown>[];
}

export async function printQueuedReports(
  deps: { temporal: Client; archive: ArchiveRepository; printQueue: PrintQueue },
  options: PrintRunOptions,
): Promise<PrintRun> {
  const action = parseOperatorAction({ requestedBy: options.by, reason: SENT_BY_POST });
  const reports = await deps.printQueue.pending(options.practiceOds);
  if (reports.length === 0) return { reports, pages: 0, resolutions: [] };
  const pdfs = [];
  for (const report of reports) pdfs.push(await reportPdf(deps.archive, report.localId));
  const merged = await mergePdfs(pdfs);
  await writeFileAtomically(options.out, merged.pdf);
  await deps.printQueue.markPosted({
    localIds: reports.map((report) => report.localId),
    postedBy: action.requestedBy,
    at: new Date(),
  });
  const encounters = [...new Set(reports.map((report) => report.encounterGuid))];
  const resolutions = await settleEach(encounters, (encounterGuid) =>
    commandEncounter(deps.temporal, encounterWorkflowId(encounterGuid), 'resolve', action, {
      timeoutMs: options.timeoutMs,
    }),
  );
  return { reports, pages: merged.pages, resolutions };
}

/** The report PDF of an archived message, as sent; the error names the message, never its content. */
export async function reportPdf(archive: ArchiveRepository, localId: string): Promise<Buffer> {
  const message = await archive.show(localId);
  if (!message) throw new Error(`archived message ${localId} does not exist`);
  try {
    return readReportPdf(message.body);
  } catch (error) {
    throw new Error(`archived message ${localId}: ${(error as Error).message}`, { cause: error });
  }
}

async function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.partial`;
  await fs.writeFile(partial, bytes);
  await fs.rename(partial, file);
}
