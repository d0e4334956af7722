import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { version as fedreportVersion } from '../../package.json';
import { prepareChunks } from './chunking';
import type { MeshConfig } from './config';
import {
  errorFromResponse,
  MeshConnectionError,
  MeshError,
  MeshHttpError,
  MeshResponseError,
  MeshUnknownOutcomeError,
  type MeshOperation,
} from './errors';
import { buildHandshakeHeaders, buildSendHeaders, parseIncomingHeaders } from './headers';
import {
  validateOutgoingMessage,
  type MeshInboxPage,
  type MeshIncomingMessage,
  type MeshMailboxMatch,
  type MeshOutgoingMessage,
  type MeshSendResult,
  type MeshTrackingInfo,
  type ValidMeshOutgoingMessage,
} from './messages';
import { withRetries } from './retry';
import {
  downloadHeadersSchema,
  endpointLookupResponseSchema,
  inboxResponseSchema,
  sendResponseSchema,
  trackingByLocalIdResponseSchema,
  trackingResponseSchema,
} from './schemas';
import {
  DEFAULT_DOWNLOAD_LIMITS,
  OpenedMeshMessage,
  releaseBody,
  type DownloadLimits,
  type MeshMessageHeaders,
} from './download';
import {
  MeshTransport,
  type MeshHttpRequest,
  type MeshHttpResponse,
  type MeshStreamResponse,
} from './transport';

/** The fields-first logging interface pino implements. The client logs operations, statuses and ids only. */
export interface MeshLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface MeshClientOptions {
  logger?: MeshLogger;
}

/** Sent as mex-ClientVersion and in the User-Agent. */
export const MESH_CLIENT_VERSION = `fedreport/${fedreportVersion}`;

/** MESH's default and largest useful inbox page; a full page means "poll again at once". */
export const MESH_INBOX_PAGE_SIZE = 500;

const silentLogger: MeshLogger = { debug: () => undefined, warn: () => undefined };

/** How a call may be retried: any retryable error, or (first POST to /outbox) only failures before the request left. */
type RetryMode = 'retryable-errors' | 'only-if-unsent';

/**
 * A MESH API client for one mailbox. Every call gets a fresh auth token per attempt and retries transient failures
 * within the configured policy, except the first POST of a send: once its body may have left the process it is never
 * repeated, and an unclear result surfaces as MeshUnknownOutcomeError (see docs/mesh.md).
 */
export class MeshClient {
  private readonly transport: MeshTransport;
  private readonly mailboxPath: string;
  private readonly logger: MeshLogger;

  constructor(
    readonly config: MeshConfig,
    options: MeshClientOptions = {},
  ) {
    this.transport = new MeshTransport(config, `${MESH_CLIENT_VERSION} (node ${process.versions.node})`);
    this.mailboxPath = `/messageexchange/${encodeURIComponent(config.mailbox)}`;
    this.logger = options.logger ?? silentLogger;
  }

  /** Validates the mailbox ("call once every 24 hours"); throws MeshAuthenticationError on bad credentials. */
  async handshake(): Promise<void> {
    await this.call(
      'handshake',
      { method: 'POST', path: this.mailboxPath, headers: buildHandshakeHeaders(MESH_CLIENT_VERSION) },
      [200],
    );
  }

  /**
   * Sends a message, chunked when it exceeds `chunkSizeBytes`, optionally gzip-compressed. Resolves with MESH's
   * message id once every chunk is accepted.
   * @throws MeshUnknownOutcomeError when the first request may have created a message but no answer proves it.
   * @throws MeshHttpError (e.g. 417 code 12: unregistered recipient), MeshInvalidMessageError, MeshConnectionError.
   */
  async send(message: MeshOutgoingMessage): Promise<MeshSendResult> {
    const valid = validateOutgoingMessage(message);
    const sensitive = [valid.to, valid.subject ?? ''];
    const chunks = await prepareChunks(valid.body, this.config.chunkSizeBytes, valid.compress);
    const total = chunks.length;
    const messageId = await this.postFirstChunk(valid, chunks[0]!, total, sensitive);
    for (let number = 2; number <= total; number += 1) {
      // A chunk re-posted after a lost answer overwrites itself: retrying chunks cannot duplicate the message.
      await this.call(
        'send-chunk',
        {
          method: 'POST',
          path: `${this.mailboxPath}/outbox/${encodeURIComponent(messageId)}/${number}`,
          headers: buildSendHeaders(this.config.mailbox, valid, { number, total }),
          body: chunks[number - 1],
          messageId,
        },
        [200, 202],
        sensitive,
      );
    }
    return { messageId, chunks: total };
  }

  private async postFirstChunk(
    message: ValidMeshOutgoingMessage,
    body: Buffer,
    total: number,
    sensitive: string[],
  ): Promise<string> {
    let response: MeshHttpResponse;
    try {
      response = await this.call(
        'send',
        {
          method: 'POST',
          path: `${this.mailboxPath}/outbox`,
          headers: buildSendHeaders(this.config.mailbox, message, { number: 1, total }),
          body,
        },
        [202, 200],
        sensitive,
        'only-if-unsent',
      );
    } catch (error) {
      throw mayHaveCreatedMessage(error) ? new MeshUnknownOutcomeError(message.localId, error) : error;
    }
    const parsed = sendResponseSchema.safeParse(parseJson(response.body));
    if (!parsed.success) {
      throw new MeshUnknownOutcomeError(
        message.localId,
        new MeshResponseError('send', 'accepted without a readable message_id'),
      );
    }
    return parsed.data.message_id;
  }

  /** One page of inbox message ids; pass a previous page's `nextPath` to continue. */
  async listInboxPage(
    options: { maxResults?: number; workflowFilter?: string; pagePath?: string } = {},
  ): Promise<MeshInboxPage> {
    const query = new URLSearchParams();
    if (options.maxResults !== undefined) query.set('max_results', String(options.maxResults));
    if (options.workflowFilter !== undefined) query.set('workflow_filter', options.workflowFilter);
    const path =
      options.pagePath ?? `${this.mailboxPath}/inbox${query.size > 0 ? `?${query.toString()}` : ''}`;
    const response = await this.call('inbox', { method: 'GET', path }, [200]);
    const page = parseBody('inbox', inboxResponseSchema, response);
    return {
      messageIds: page.messages,
      nextPath: page.links?.next ? this.sameMailboxPath(page.links.next) : undefined,
      approxInboxCount: page.approx_inbox_count ?? undefined,
    };
  }

  /**
   * Drains the inbox page by page, yielding ids not yielded before: follows links.next, and after a full page without
   * one polls again at once (the caller has meanwhile downloaded and acknowledged what it got), as MESH advises. Stops
   * on a short page or when a new poll brings nothing new.
   */
  async *inboxPages(
    options: { maxResults?: number; workflowFilter?: string } = {},
  ): AsyncGenerator<string[]> {
    const maxResults = options.maxResults ?? MESH_INBOX_PAGE_SIZE;
    const seen = new Set<string>();
    let pagePath: string | undefined;
    for (;;) {
      const page = await this.listInboxPage({ ...options, maxResults, pagePath });
      const fresh = page.messageIds.filter((id) => !seen.has(id));
      for (const id of fresh) seen.add(id);
      if (fresh.length > 0) yield fresh;
      if (page.nextPath) {
        pagePath = page.nextPath;
        continue;
      }
      if (page.messageIds.length < maxResults || fresh.length === 0) return;
      pagePath = undefined;
    }
  }

  /** A message's headers without its body (HEAD): what it is, from whom, on which workflow; nothing is read. */
  async peek(messageId: string): Promise<MeshMessageHeaders> {
    const response = await this.call(
      'peek',
      { method: 'HEAD', path: this.messagePath(messageId), messageId },
      [200],
    );
    return describeDownload('peek', messageId, response.headers);
  }

  /**
   * Requests a message and stops after its headers: the caller checks them against its limits, then reads the body
   * to memory or a file (all chunks, gzip undone) or discards it. REPORT messages have an empty body.
   */
  async open(messageId: string): Promise<OpenedMeshMessage> {
    const messagePath = this.messagePath(messageId);
    const first = await this.stream('download', { method: 'GET', path: messagePath, messageId }, [200, 206]);
    let description: MeshMessageHeaders;
    try {
      description = describeDownload('download', messageId, first.headers);
      if (description.messageType === 'DATA' && (first.status === 206) !== description.chunks > 1) {
        throw new MeshResponseError(
          'download',
          `HTTP ${first.status} does not match ${description.chunks} chunk(s)`,
          messageId,
        );
      }
    } catch (error) {
      releaseBody(first);
      throw error;
    }
    return new OpenedMeshMessage(description, first, (number) =>
      this.stream('download', { method: 'GET', path: `${messagePath}/${number}`, messageId }, [200, 206]),
    );
  }

  /** Downloads a DATA message (all chunks, decoded) or a REPORT (empty body, status headers), within `limits`. */
  async download(
    messageId: string,
    limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
  ): Promise<MeshIncomingMessage> {
    const opened = await this.open(messageId);
    return { ...opened.description, body: await opened.readToBuffer(limits) };
  }

  /** Removes the message from the inbox. Acknowledging twice is harmless. */
  async acknowledge(messageId: string): Promise<void> {
    await this.call(
      'acknowledge',
      {
        method: 'PUT',
        path: `${this.messagePath(messageId)}/status/acknowledged`,
        messageId,
      },
      [200],
    );
  }

  /** Tracking of a message this mailbox sent. Not a substitute for the receiver's business acknowledgement. */
  async track(messageId: string): Promise<MeshTrackingInfo> {
    const response = await this.call(
      'track',
      {
        method: 'GET',
        path: `${this.mailboxPath}/outbox/tracking?messageID=${encodeURIComponent(messageId)}`,
        messageId,
      },
      [200],
    );
    const t = parseBody('track', trackingResponseSchema, response, messageId);
    return {
      messageId: t.message_id,
      localId: t.local_id,
      workflowId: t.workflow_id,
      filename: t.filename,
      recipient: t.recipient,
      recipientName: t.recipient_name,
      recipientOdsCode: t.recipient_ods_code,
      status: t.status,
      statusSuccess: t.status_success,
      statusEvent: t.status_event,
      statusCode: t.status_code,
      statusDescription: t.status_description,
      statusTimestamp: t.status_timestamp,
      uploadTimestamp: t.upload_timestamp,
      expiryTime: t.expiry_time,
    };
  }

  /**
   * Finds what this mailbox sent under a local id: how an unknown-outcome send is reconciled. 404 means MESH never
   * accepted a message with that local id; 300 (several) still proves it was accepted.
   */
  async trackByLocalId(localId: string): Promise<{ messageId?: string; multiple: boolean }> {
    const response = await this.call(
      'track',
      { method: 'GET', path: `${this.mailboxPath}/outbox/tracking/${encodeURIComponent(localId)}` },
      [200, 300],
    );
    if (response.status === 300) return { multiple: true };
    const t = parseBody('track', trackingByLocalIdResponseSchema, response);
    return { messageId: t.messageId, multiple: false };
  }

  /** Mailboxes registered for an organisation (ODS code) and workflow. */
  async lookupEndpoint(odsCode: string, workflowId: string): Promise<MeshMailboxMatch[]> {
    const response = await this.call(
      'lookup',
      {
        method: 'GET',
        path: `/messageexchange/endpointlookup/${encodeURIComponent(odsCode)}/${encodeURIComponent(workflowId)}`,
      },
      [200],
    );
    return parseBody('lookup', endpointLookupResponseSchema, response).results.map((r) => ({
      mailboxId: r.mailbox_id,
      mailboxName: r.mailbox_name,
    }));
  }

  /** Closes pooled connections. */
  close(): Promise<void> {
    return this.transport.close();
  }

  private messagePath(messageId: string): string {
    return `${this.mailboxPath}/inbox/${encodeURIComponent(messageId)}`;
  }

  private call(
    operation: MeshOperation,
    request: MeshHttpRequest,
    expectedStatuses: number[],
    sensitiveValues: string[] = [],
    mode: RetryMode = 'retryable-errors',
  ): Promise<MeshHttpResponse> {
    return this.withAttempts(operation, request, mode, async (logAnswer) => {
      const response = await this.transport.attempt(operation, request);
      logAnswer(response.status);
      if (expectedStatuses.includes(response.status)) return response;
      throw errorFromResponse(operation, response, sensitiveValues, request.messageId);
    });
  }

  /** As call(), but an expected answer's body is left unread for the caller to stream. */
  private stream(
    operation: MeshOperation,
    request: MeshHttpRequest,
    expectedStatuses: number[],
  ): Promise<MeshStreamResponse> {
    return this.withAttempts(operation, request, 'retryable-errors', async (logAnswer) => {
      const response = await this.transport.open(operation, request);
      logAnswer(response.status);
      if (expectedStatuses.includes(response.status)) return response;
      throw errorFromResponse(operation, await response.buffered(), [], request.messageId);
    });
  }

  /** Runs attempts within the retry policy, logging each answer and each retry (ids and statuses only). */
  private withAttempts<T>(
    operation: MeshOperation,
    request: MeshHttpRequest,
    mode: RetryMode,
    once: (logAnswer: (status: number) => void) => Promise<T>,
  ): Promise<T> {
    const mailbox = this.config.mailbox;
    return withRetries(
      this.config.retry,
      (attempt) => {
        const started = performance.now();
        return once((status) => {
          const durationMs = Math.round(performance.now() - started);
          this.logger.debug(
            { operation, mailbox, status, attempt, durationMs, messageId: request.messageId },
            'MESH request',
          );
        });
      },
      (error) =>
        mode === 'retryable-errors'
          ? error.retryable
          : error instanceof MeshConnectionError && !error.requestMayHaveBeenSent,
      ({ error, attempt, delayMs }) =>
        this.logger.warn(
          { operation, mailbox, attempt, delayMs, error: error.name, reason: error.message },
          'MESH request failed; retrying',
        ),
    );
  }

  /** links.next may be absolute or relative; only a path below this mailbox on the configured host is followed. */
  private sameMailboxPath(link: string): string {
    const base = new URL(this.config.url);
    const next = new URL(link, base);
    if (next.origin !== base.origin || !next.pathname.startsWith(`${this.mailboxPath}/inbox`)) {
      throw new MeshResponseError('inbox', 'links.next points outside this mailbox');
    }
    return `${next.pathname}${next.search}`;
  }
}

export function createMeshClient(config: MeshConfig, options: MeshClientOptions = {}): MeshClient {
  return new MeshClient(config, options);
}

/**
 * After the first POST, which failures leave the message possibly created: request bytes sent without a readable
 * answer, a 5xx (a gateway's 502/504 proves nothing about the back end), or a 2xx whose body could not be decoded.
 * A 4xx is MESH refusing the message, so nothing was created.
 */
function mayHaveCreatedMessage(error: unknown): error is MeshError {
  if (error instanceof MeshConnectionError) return error.requestMayHaveBeenSent;
  if (error instanceof MeshHttpError) return error.status >= 500;
  return error instanceof MeshResponseError;
}

/** The download headers MESH must send, read into the message description; a MeshResponseError names what is wrong. */
function describeDownload(
  operation: MeshOperation,
  messageId: string,
  headers: Record<string, string>,
): MeshMessageHeaders {
  const checked = downloadHeadersSchema.safeParse(headers);
  if (!checked.success) {
    const reasons = checked.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    throw new MeshResponseError(operation, `headers: ${reasons}`, messageId);
  }
  return parseIncomingHeaders(messageId, checked.data['mex-messagetype'], headers);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseBody<T>(
  operation: MeshOperation,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  response: MeshHttpResponse,
  messageId?: string,
): T {
  const parsed = schema.safeParse(parseJson(response.body));
  if (parsed.success) return parsed.data;
  const reasons = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`)
    .join('; ');
  throw new MeshResponseError(operation, reasons, messageId);
}
