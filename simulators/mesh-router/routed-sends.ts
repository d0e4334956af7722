/**
 * A GPPROVIDER send as MESH handles it: resolved before it is stored, then accepted either way. Resolved, it goes to
 * the registered practice's mailbox with only mex-to replaced. Unresolved, it is held in the holding mailbox, the
 * sender gets its message id all the same, and once the whole message is uploaded (the last chunk, for a chunked
 * one) the REPORT with the EPL code goes to the sender's inbox.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorFields, type SimulatorLogger } from '../receiving-practice/logging';
import { routeGpProviderSend, type RoutingDecision, type RoutingDependencies } from './routing';
import type { RoutingReport, SandboxAdmin } from './sandbox-admin';
import { writeAnswer, type Upstream, type UpstreamAnswer } from './upstream';

export interface RoutedSendsDependencies {
  upstream: Upstream;
  admin: SandboxAdmin;
  routing: RoutingDependencies;
  holdingMailbox: string;
  logger: SimulatorLogger;
}

interface PendingFailure {
  report: RoutingReport;
  totalChunks: number;
}

/** The send answer in either API version: v2 `{message_id}`, v1 `{messageID}`. */
const sendAnswerSchema = z.union([
  z.object({ message_id: z.string().min(1) }).transform((a) => a.message_id),
  z.object({ messageID: z.string().min(1) }).transform((a) => a.messageID),
]);

export class RoutedSends {
  private readonly pending = new Map<string, PendingFailure>();
  private readonly reporting = new Set<Promise<void>>();

  constructor(private readonly deps: RoutedSendsDependencies) {}

  /** The first (or only) chunk of a GPPROVIDER send from `senderMailbox`. Throws PdsError when PDS cannot answer. */
  async send(request: IncomingMessage, response: ServerResponse, senderMailbox: string): Promise<void> {
    const workflowId = header(request, 'mex-workflowid') ?? '';
    const decision = await routeGpProviderSend(
      header(request, 'mex-to') ?? '',
      workflowId,
      this.deps.routing,
    );
    const to = decision.kind === 'deliver' ? decision.mailboxId : this.deps.holdingMailbox;
    const answer = await this.deps.upstream.exchange(request, { 'mex-to': to });
    writeAnswer(response, answer);
    const messageId = acceptedMessageId(answer);
    if (messageId === undefined) return;
    this.log(decision, workflowId, messageId);
    if (decision.kind === 'deliver') return;
    const report = reportOf(request, senderMailbox, messageId, decision.failure);
    const totalChunks = totalChunksOf(request);
    if (totalChunks > 1) this.pending.set(messageId, { report, totalChunks });
    else this.reportFailure(report);
  }

  /** Whether a chunk upload belongs to a held message whose REPORT waits for its last chunk. */
  isHeld(messageId: string): boolean {
    return this.pending.has(messageId);
  }

  async chunk(
    request: IncomingMessage,
    response: ServerResponse,
    messageId: string,
    chunkNumber: number,
  ): Promise<void> {
    const answer = await this.deps.upstream.exchange(request);
    writeAnswer(response, answer);
    const held = this.pending.get(messageId);
    if (answer.statusCode !== 202 || !held || chunkNumber !== held.totalChunks) return;
    this.pending.delete(messageId);
    this.reportFailure(held.report);
  }

  /** Waits for the REPORTs under way. */
  async settled(): Promise<void> {
    await Promise.all([...this.reporting]);
  }

  private reportFailure(report: RoutingReport): void {
    const task = this.deps.admin.reportFailure(report).then(
      (reportId) =>
        this.deps.logger.info(
          { linkedMessageId: report.linkedMessageId, reportId, code: report.failure.code },
          'routing failure reported',
        ),
      (error: unknown) =>
        this.deps.logger.warn(
          { linkedMessageId: report.linkedMessageId, ...errorFields(error) },
          'routing failure report not delivered',
        ),
    );
    this.reporting.add(task);
    void task.finally(() => this.reporting.delete(task));
  }

  private log(decision: RoutingDecision, workflowId: string, messageId: string): void {
    const outcome =
      decision.kind === 'deliver' ? { mailbox: decision.mailboxId } : { code: decision.failure.code };
    this.deps.logger.info({ messageId, workflowId, ...outcome }, 'GPPROVIDER send routed');
  }
}

/** From the first chunk's `mex-chunk-range: 1:N`; 1 when there is none. */
function totalChunksOf(request: IncomingMessage): number {
  return Number(/^\s*1\s*:\s*(\d+)\s*$/.exec(header(request, 'mex-chunk-range') ?? '')?.[1] ?? '1');
}

function acceptedMessageId(answer: UpstreamAnswer): string | undefined {
  if (answer.statusCode !== 202) return undefined;
  try {
    const parsed = sendAnswerSchema.safeParse(JSON.parse(answer.body.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The original's headers a MESH REPORT repeats (domain-reference §2.8). */
function reportOf(
  request: IncomingMessage,
  senderMailbox: string,
  linkedMessageId: string,
  failure: RoutingReport['failure'],
): RoutingReport {
  return {
    senderMailbox,
    linkedMessageId,
    failure,
    workflowId: header(request, 'mex-workflowid') ?? '',
    localId: header(request, 'mex-localid'),
    subject: header(request, 'mex-subject'),
    filename: header(request, 'mex-filename'),
  };
}

export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
