/**
 * The golden ITK3 messages: a canonical first consultation report (the project's example snapshot, a fixed small
 * PDF, fixed build time, hence fixed ids) and the infrastructure acknowledgement a practice sends for it. The files
 * in golden/ are what the builders must produce byte for byte; `UPDATE_GOLDEN=1` rewrites them after a deliberate
 * change (review the diff).
 */
import path from 'node:path';
import { serialiseFhir } from '../../integrations/itk3/message-format';
import { buildItk3Response } from '../../integrations/itk3/response-builder';
import { readSendDocumentHeader } from '../../integrations/itk3/send-document-reader';
import { fixtureMessage } from '../unit/itk3/fixtures';

const GOLDEN_DIR = path.join(__dirname, 'golden');

export const GOLDEN = {
  sendDocument: path.join(GOLDEN_DIR, 'itk3-send-document-v1.xml'),
  infrastructureAck: path.join(GOLDEN_DIR, 'itk3-ack-20013.xml'),
};

export const GOLDEN_FILES = Object.values(GOLDEN);

/** The current builders' output for each golden file. */
export async function goldenContents(): Promise<Record<keyof typeof GOLDEN, string>> {
  const sendDocument = serialiseFhir(await fixtureMessage(), 'xml');
  const ack = buildItk3Response({
    original: readSendDocumentHeader(sendDocument),
    responder: { odsCode: 'Y90002', mailboxId: 'Y90002MB01' },
    code: '20013',
    respondedAt: '2026-11-20T14:05:00Z',
  });
  return { sendDocument, infrastructureAck: serialiseFhir(ack, 'xml') };
}
