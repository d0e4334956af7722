/**
 * Archived report messages for the archive's operator tests: a real ITK3 Send Document message (XML, as sent)
 * whose report PDF has a known number of pages, archived through the repository in a chosen state.
 */
import crypto from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { buildSendDocumentMessage, serialiseFhir } from '../../integrations/itk3';
import type { ArchiveRepository } from '../../integrations/store/archive-repository';
import type { SentMessageState } from '../../integrations/store/archive-schema';
import { snapshotFixture } from '../unit/itk3/fixtures';
import { sendingCopy } from './archive';

export async function pdfOfPages(pages: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (let page = 0; page < pages; page += 1) pdf.addPage().drawText(`report page ${page + 1}`);
  return Buffer.from(await pdf.save());
}

export async function reportMessage(encounterId: string, pages: number): Promise<Buffer> {
  const message = buildSendDocumentMessage({
    snapshot: snapshotFixture((input) => {
      input.encounterId = encounterId;
    }),
    reportPdf: await pdfOfPages(pages),
    senderMailboxId: 'Y90001MB01',
    version: 1,
    firstBuiltAt: '2026-11-20T13:45:00Z',
  });
  return Buffer.from(serialiseFhir(message, 'xml'), 'utf8');
}

export interface ArchivedReport {
  localId: string;
  encounterGuid: string;
}

/** Archives a sent report of `pages` pages and moves it to `state` by an answer, as the inbox would. */
export async function archiveReport(
  archive: ArchiveRepository,
  options: {
    senderOds: string;
    state: SentMessageState;
    pages?: number;
    encounterGuid?: string;
    reportVersion?: number;
    at?: Date;
  },
): Promise<ArchivedReport> {
  const encounterGuid = options.encounterGuid ?? crypto.randomUUID();
  const at = options.at ?? new Date();
  const copy = sendingCopy({
    encounterGuid,
    senderOds: options.senderOds,
    reportVersion: options.reportVersion ?? 1,
    body: await reportMessage(encounterGuid, options.pages ?? 1),
    at,
  });
  await archive.recordSending(copy);
  if (options.state === 'sending') return { localId: copy.localId, encounterGuid };
  await archive.recordSent({ localId: copy.localId, meshMessageId: `MESH-${copy.localId}`, at });
  if (options.state !== 'sent')
    await archive.recordAnswer({
      localId: copy.localId,
      kind:
        options.state === 'acknowledged' || options.state === 'rejected'
          ? 'itk3-acknowledgement'
          : 'mesh-report',
      meshMessageId: `ANSWER-${copy.localId}`,
      code: options.state,
      body: Buffer.from('<answer/>'),
      at,
      messageState: options.state,
    });
  return { localId: copy.localId, encounterGuid };
}
