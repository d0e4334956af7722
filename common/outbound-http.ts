/**
 * Rules for the HTTP calls fedreport makes to configured URLs (PDS, its token endpoint, the alert webhook): https
 * only, except to a loopback host (the local stack, tests), and no redirects. A redirect would take the bearer
 * token or the alert to a host nobody configured; plain http would expose them on the network.
 */
import { z } from 'zod';

/** Hosts plain http may reach: this machine only. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The problem with `url` as an outbound address, or undefined when it is https or http to a loopback host. */
export function outboundUrlProblem(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'must be an https:// URL (http:// is accepted only for a loopback host: 127.0.0.1, ::1 or localhost)';
}

/** A configured outbound URL: a URL (`urlReason` says which) that passes `outboundUrlProblem`. */
export function outboundUrlSchema(urlReason: string): z.ZodType<string, z.ZodTypeDef, string> {
  return z
    .string()
    .url(urlReason)
    .superRefine((text, ctx) => {
      if (!URL.canParse(text)) return; // .url() has said so already
      const problem = outboundUrlProblem(new URL(text));
      if (problem !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    });
}

/** A 3xx answer to an outbound call: never followed. */
export class RedirectRefusedError extends Error {
  constructor(
    what: string,
    readonly status: number,
  ) {
    super(
      `${what} answered a redirect (HTTP ${status}); redirects are not followed: configure the final URL`,
    );
    this.name = 'RedirectRefusedError';
  }
}

/** fetch that returns a redirect answer as RedirectRefusedError instead of following it; `what` names the call. */
export async function fetchRefusingRedirects(
  url: string,
  init: RequestInit,
  what: string,
): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new RedirectRefusedError(what, response.status);
  }
  return response;
}
