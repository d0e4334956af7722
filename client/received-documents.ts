/**
 * Settling a received document for the practice's clinical system (the API and the CLI): filed, or rejected with a
 * negative business code and a reason, given to the message's `receivedMessageWorkflow` as the `fileDocument` Update.
 * Its id is derived from the receiving mailbox and the MessageHeader id the document inbox keeps. A document already
 * settled is refused before Temporal is asked; the workflow's validator refuses a command racing another.
 */
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { z } from 'zod';
import type { FilingOutcome } from '../domain/document-filing';
import { receivedMessageWorkflowId } from '../domain/received-message-identity';
import type { ReceivedDocumentSummary } from '../integrations/store/received-document-queries';
import { fileDocumentUpdate, type FilingAccepted } from '../workflows/received-document-filing';

/** A MESH message id names the document in the API and CLI: unique, and free of patient data. */
export const documentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'must be a MESH message id');

/** The document cannot take the command as it stands (already filed or rejected, …); nothing changed. */
export class DocumentFilingRefusedError extends Error {
  constructor(
    readonly meshMessageId: string,
    readonly reason: string,
  ) {
    super(`filing of received document ${meshMessageId} refused: ${reason}`);
    this.name = 'DocumentFilingRefusedError';
  }
}

/** No worker answered in time: the command may still be applied, so list the document before repeating it. */
export class DocumentFilingUnansweredError extends Error {
  constructor(readonly meshMessageId: string) {
    super(
      `no worker answered the filing of received document ${meshMessageId} in time: check that fedreport workers ` +
        'are running, then the document before repeating it',
    );
    this.name = 'DocumentFilingUnansweredError';
  }
}

const SETTLED: Record<string, string> = {
  filed: 'the document was already filed',
  refused: 'the document was already rejected',
};

export async function settleReceivedDocument(
  client: Client,
  document: ReceivedDocumentSummary,
  outcome: FilingOutcome,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<FilingAccepted> {
  const settled = SETTLED[document.state];
  if (settled) throw new DocumentFilingRefusedError(document.meshMessageId, settled);
  if (!document.mailbox)
    throw new DocumentFilingRefusedError(document.meshMessageId, 'it was kept without its receiving mailbox');
  const workflowId = receivedMessageWorkflowId(document.mailbox, {
    messageHeaderId: document.messageHeaderId,
  });
  try {
    return await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowId).executeUpdate(fileDocumentUpdate, { args: [outcome] }),
    );
  } catch (error) {
    throw filingError(error, document.meshMessageId);
  }
}

function filingError(error: unknown, meshMessageId: string): unknown {
  // A validator's refusal (or the handler's) arrives as the Update's failure, the reason its message.
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
    return new DocumentFilingRefusedError(meshMessageId, error.cause.message);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new DocumentFilingUnansweredError(meshMessageId);
  if (error instanceof WorkflowNotFoundError)
    return new DocumentFilingRefusedError(meshMessageId, "the document's workflow is no longer running");
  return error;
}
