/**
 * Typed client of the fedreport API for clinical systems written in TypeScript.
 *
 *   const fedreport = new FedreportClient({ baseUrl: 'https://fedreport.example:8090', token });
 *   await fedreport.submitConsultation(snapshot);           // every save of the consultation, complete each time
 *   const status = await fedreport.status(encounterId);     // null when nothing was submitted for it
 *   await fedreport.withdraw(encounterId, { reason: 'deleted', requestedBy, at });
 *   const report = await fedreport.reconcile('Y90001', { from, to, encounterIds });  // missed hooks and states
 *
 * Rejections throw FedreportApiError with the API's code and the field issues; an unreachable API throws
 * FedreportUnreachableError, after which the same submission may be repeated safely (idempotent by revision). The
 * base URL must be https (http only to a loopback host) and redirects are not followed (docs/deployment.md).
 */
import { Agent, fetch, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { ReconciliationRequest } from '../../domain/reconciliation';
import type { ConsultationSnapshotInput } from '../../domain/snapshot';
import { ValidationError, type FieldIssue } from '../../domain/validation-error';
import { outboundUrlProblem } from '../../common/outbound-http';
import type { Withdrawal } from '../../domain/withdrawal';
import type { EncounterStatus } from '../../workflows/encounter-messages';
import type { SubmittedConsultation, WithdrawnEncounter } from '../encounters';
import type { ReconciliationReport } from '../reconciliation';
import type { ApiErrorCode } from '../api/errors';
import {
  apiErrorBodySchema,
  encounterStatusSchema,
  reconciliationReportSchema,
  submittedConsultationSchema,
  withdrawnEncounterSchema,
} from '../api/responses';

export interface FedreportClientOptions {
  /** The API's base URL, e.g. https://fedreport.example:8090 (no trailing path). */
  baseUrl: string;
  /** Bearer token, when the API authenticates by token. */
  token?: string;
  /** Client certificate (PEM) when the API authenticates by mutual TLS; `ca` to trust a private server CA. */
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer };
  /** Per request; 30 s by default. */
  timeoutMs?: number;
}

/** The API answered with a rejection (or something that is not the API's answer: code `unexpected_response`). */
export class FedreportApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | 'unexpected_response',
    message: string,
    readonly issues: FieldIssue[],
  ) {
    super(
      `${status} ${code}: ${message}${issues.length ? ` (${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')})` : ''}`,
    );
    this.name = 'FedreportApiError';
  }
}

/** No answer: connection refused, TLS failure or timeout. Safe to retry. */
export class FedreportUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `fedreport API at ${url} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'FedreportUnreachableError';
  }
}

export class FedreportClient {
  private readonly baseUrl: string;
  private readonly dispatcher: Dispatcher | undefined;

  constructor(private readonly options: FedreportClientOptions) {
    const problem = URL.canParse(options.baseUrl)
      ? outboundUrlProblem(new URL(options.baseUrl))
      : 'must be a URL';
    if (problem)
      throw new ValidationError('fedreport client options', [{ field: 'baseUrl', reason: problem }]);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.dispatcher = options.tls ? new Agent({ connect: { ...options.tls } }) : undefined;
  }

  /** Reports a save of the consultation (the complete snapshot). Resolves once the workflow durably holds it. */
  async submitConsultation(snapshot: ConsultationSnapshotInput): Promise<SubmittedConsultation> {
    const path = `/v1/encounters/${encodeURIComponent(snapshot.encounterId)}/events`;
    const response = await this.request('POST', path, snapshot);
    return this.expect(response, 202, submittedConsultationSchema);
  }

  /** The encounter's reporting status, or null when no consultation of it was ever submitted. */
  async status(encounterId: string): Promise<EncounterStatus | null> {
    const response = await this.request('GET', `/v1/encounters/${encodeURIComponent(encounterId)}`);
    if (response.status === 404 && response.body.error === 'encounter_not_found') return null;
    return this.expect(response, 200, encounterStatusSchema);
  }

  /**
   * The consultation was deleted or entered in error: cancels a report not yet sent, or has an operator contact the
   * registered practice. Repeating the same withdrawal is safe. A refusal throws code `withdrawal_refused`.
   */
  async withdraw(encounterId: string, withdrawal: Withdrawal): Promise<WithdrawnEncounter> {
    const path = `/v1/encounters/${encodeURIComponent(encounterId)}/withdrawal`;
    return this.expect(await this.request('POST', path, withdrawal), 200, withdrawnEncounterSchema);
  }

  /** Which of the practice's encounters (at most 10,000 GUIDs) fedreport never received, and the others' states. */
  async reconcile(practiceOds: string, request: ReconciliationRequest): Promise<ReconciliationReport> {
    const path = `/v1/practices/${encodeURIComponent(practiceOds)}/reconciliation`;
    return this.expect(await this.request('POST', path, request), 200, reconciliationReportSchema);
  }

  /** Closes pooled connections (only needed with `tls`, which keeps its own connection pool). */
  async close(): Promise<void> {
    await this.dispatcher?.close();
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    let text;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        ...(this.dispatcher && { dispatcher: this.dispatcher }),
        // A redirect would carry the token or the snapshot to an address nobody configured.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      text = await response.text();
    } catch (error) {
      throw new FedreportUnreachableError(url, error);
    }
    if (response.status >= 300 && response.status < 400) {
      const reason = 'the API answered a redirect, which is not followed: use the final URL as baseUrl';
      throw new FedreportApiError(response.status, 'unexpected_response', reason, []);
    }
    try {
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      throw new FedreportApiError(response.status, 'unexpected_response', 'the answer is not JSON', []);
    }
  }

  private expect<T>(response: { status: number; body: unknown }, status: number, schema: z.ZodType<T>): T {
    if (response.status === status) {
      const parsed = schema.safeParse(response.body);
      if (parsed.success) return parsed.data;
      throw new FedreportApiError(
        response.status,
        'unexpected_response',
        'the answer does not have the documented shape',
        [],
      );
    }
    const rejection = apiErrorBodySchema.safeParse(response.body);
    if (!rejection.success) {
      throw new FedreportApiError(
        response.status,
        'unexpected_response',
        `HTTP ${response.status} without an error body`,
        [],
      );
    }
    throw new FedreportApiError(
      response.status,
      rejection.data.error,
      rejection.data.message,
      rejection.data.issues,
    );
  }
}
