/**
 * Delivery of one report version: render the PDF, build the ITK3 message, POST it to MESH. One activity, so a
 * retry rebuilds byte-identical content from (snapshot, version, first build time) instead of storing it.
 */
import { Context } from '@temporalio/activity';
import {
  buildSendDocumentMessage,
  meshMetadataFor,
  messageIdentity,
  serialiseFhir,
  type MeshMetadataOptions,
} from '../../integrations/itk3';
import type { MeshClient } from '../../integrations/mesh/client';
import { MeshHttpError } from '../../integrations/mesh/errors';
import { renderConsultationReport } from '../../integrations/report/render-report';
import { upgradeSnapshot, type SnapshotUpgrader } from '../../domain/snapshot-versions';
import type { EncounterActivities, ReportIdentity } from '../../workflows/encounter-activities';
import { toActivityFailure } from '../failures';
import type { MeshMailboxes } from '../../integrations/mesh/mailboxes';
import type { SentMessageDirectory } from '../inbox/sent-message-directory';
import { resolveSnapshotAttachments, type AttachmentStore } from '../../integrations/store/snapshot-attachments';
import type { ArchiveRepository } from '../../integrations/store/archive-repository';
import { sendingCopyOf } from './sending-copy';

export interface DeliveryDependencies {
  mailboxes: MeshMailboxes;
  /** Keeps the copy of every message sent: written before the MESH send, completed after it. */
  archive: ArchiveRepository;
  metadata?: MeshMetadataOptions;
  maxReportBytes?: number;
  /** Told which encounter sent each MessageHeader id, so the inbox routes its acks without a visibility query. */
  sentMessages?: SentMessageDirectory;
  /** Brings a snapshot from history to the contract this worker implements; tests inject a later release's. */
  upgradeSnapshot?: SnapshotUpgrader;
  /** Where the hook stored the attachments snapshots name by reference (the archive). */
  attachments?: AttachmentStore;
}

export function createDeliveryActivities(deps: DeliveryDependencies): Pick<
  EncounterActivities,
  'reportIdentity' | 'sendReport' | 'reconcileUnknownSend'
> {
  return {
    reportIdentity({ encounterId, version, firstBuiltAt }): Promise<ReportIdentity> {
      const identity = messageIdentity(encounterId, version, firstBuiltAt);
      // Mex-LocalID is the MessageHeader id: PHI-free, unique per version, echoed back in MESH reports.
      return Promise.resolve({
        messageHeaderId: identity.messageHeaderId,
        documentIdentifier: identity.documentIdentifier,
        localId: identity.messageHeaderId,
      });
    },

    async sendReport(input) {
      try {
        // Upgraded, not re-validated: it was valid under the contract it was saved under.
        const upgraded = (deps.upgradeSnapshot ?? upgradeSnapshot)(input.snapshot);
        const current = await resolveSnapshotAttachments(deps.attachments, upgraded);
        const snapshot = input.currentNhsNumber
          ? { ...current, patient: { ...current.patient, nhsNumber: input.currentNhsNumber } }
          : current;
        const reportPdf = await renderConsultationReport({
          snapshot,
          version: input.version,
          receivingPractice: { odsCode: input.registeredPracticeOds, name: input.registeredPracticeName },
          maxBytes: deps.maxReportBytes,
        });
        const bundle = buildSendDocumentMessage({
          snapshot,
          reportPdf,
          senderMailboxId: input.senderMailbox,
          version: input.version,
          previousDocumentIdentifier: input.previousDocumentIdentifier,
          firstBuiltAt: input.firstBuiltAt,
        });
        const format = deps.metadata?.format ?? 'xml';
        const { messageHeaderId } = messageIdentity(snapshot.encounterId, input.version, input.firstBuiltAt);
        const metadata = meshMetadataFor({ snapshot, version: input.version, messageHeaderId, addressDemographics: input.addressDemographics }, deps.metadata);
        const body = Buffer.from(serialiseFhir(bundle, format), 'utf8');
        // Before anything can leave: a database that is down fails this attempt (retried) with nothing sent.
        await deps.archive.recordSending(sendingCopyOf({ snapshot, input, localId: metadata.localId, body }));
        const mesh = deps.mailboxes.clientFor(input.senderMailbox);
        const sender = Context.current().info.workflowExecution?.workflowId;
        if (sender) deps.sentMessages?.remember(messageHeaderId, sender);
        // A retried attempt may follow one that died after MESH took the message (a worker crash mid-send):
        // ask MESH before posting again, so a retry never sends a second copy.
        if (Context.current().info.attempt > 1) {
          const earlier = await acceptedEarlier(mesh, metadata.localId);
          if (earlier) return await recordedSent(deps.archive, metadata.localId, earlier);
        }
        const result = await mesh.send({
          to: metadata.to,
          workflowId: metadata.workflowId,
          subject: metadata.subject,
          localId: metadata.localId,
          filename: metadata.filename,
          contentType: metadata.contentType,
          body,
        });
        Context.current().metricMeter.createCounter('fedreport_reports_sent', 'reports', 'Report versions accepted by MESH').add(1);
        // A REPORT about this send names it by MESH message id: the inbox finds the encounter without a query.
        if (sender) deps.sentMessages?.rememberMeshMessage(result.messageId, sender);
        return await recordedSent(deps.archive, metadata.localId, result.messageId);
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    async reconcileUnknownSend({ senderMailbox, localId }) {
      try {
        const meshMessageId = await acceptedEarlier(deps.mailboxes.clientFor(senderMailbox), localId);
        if (!meshMessageId) return { status: 'not-found' };
        // A copy made before a send whose outcome was unknown; none for a send older than the archive.
        if (await deps.archive.holds(localId)) await deps.archive.recordSent({ localId, meshMessageId, at: new Date() });
        return { status: 'accepted', meshMessageId };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },
  };
}

/** Completes the archived copy with the id MESH gave it; a retry recording the same id again changes nothing. */
async function recordedSent(
  archive: ArchiveRepository,
  localId: string,
  meshMessageId: string,
): Promise<{ meshMessageId: string }> {
  await archive.recordSent({ localId, meshMessageId, at: new Date() });
  return { meshMessageId };
}

/**
 * The MESH message id MESH gave an earlier send under this local id, `local:<id>` when several messages share it,
 * or undefined when MESH never took one.
 */
export async function acceptedEarlier(mesh: MeshClient, localId: string): Promise<string | undefined> {
  try {
    const tracked = await mesh.trackByLocalId(localId);
    // Several messages under one local id (HTTP 300) prove MESH took it but name no message id. The placeholder
    // matches no MESH REPORT: the workflow matches REPORTs by MESH message id (applyMeshReport).
    return tracked.messageId ?? `local:${localId}`;
  } catch (error) {
    if (error instanceof MeshHttpError && error.status === 404) return undefined;
    throw error;
  }
}
