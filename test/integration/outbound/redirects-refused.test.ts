/** Outbound calls never follow a redirect: a real local server answers 302 towards a second one that counts hits. */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedirectRefusedError } from '../../../common/outbound-http';
import { webhookAlertSink } from '../../../activities/alerts/raise-alert';
import { FedreportApiError, FedreportClient } from '../../../client/sdk/fedreport-client';
import { createPdsClient } from '../../../integrations/pds/client';
import { PdsUnexpectedResponseError } from '../../../integrations/pds/errors';
import { SANDBOX_PATIENTS } from '../../../simulators/pds/patients';

interface Server {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

async function listen(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<Server> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let elsewhere: Server;
let redirecting: Server;
beforeAll(async () => {
  elsewhere = await listen((_, res) => res.end('{}'));
  redirecting = await listen((req, res) => {
    res.writeHead(req.method === 'POST' ? 307 : 302, { location: `${elsewhere.url}${req.url ?? '/'}` });
    res.end();
  });
});
afterAll(async () => {
  await redirecting.close();
  await elsewhere.close();
});
afterEach(() => {
  elsewhere.hits.length = 0;
});

it('the PDS client refuses a redirect with a non-retryable error and never calls the redirect target', async () => {
  const client = createPdsClient({ baseUrl: redirecting.url, timeoutMs: 2_000, auth: { mode: 'none' } });
  const failure = client.getPatient(SANDBOX_PATIENTS.fullRecord, { requestId: crypto.randomUUID() });
  await expect(failure).rejects.toBeInstanceOf(PdsUnexpectedResponseError);
  await expect(failure).rejects.toMatchObject({
    retryable: false,
    status: 302,
    message: expect.stringContaining('PDS (the patient lookup) answered a redirect (HTTP 302)'),
  });
  expect(redirecting.hits).toHaveLength(1);
  expect(elsewhere.hits).toEqual([]);
});

it('the alert webhook refuses a redirect and never posts the alert to the redirect target', async () => {
  const sink = webhookAlertSink(`${redirecting.url}/hooks/fedreport`);
  const delivery = sink.deliver({
    kind: 'practice-digest',
    practiceOds: 'Y90001',
    detail: 'd',
    digest: { composedAt: '2026-12-04T06:00:00.000Z' } as never,
  });
  await expect(delivery).rejects.toBeInstanceOf(RedirectRefusedError);
  await expect(delivery).rejects.toThrow(
    'the alert webhook (FEDREPORT_ALERT_WEBHOOK_URL) answered a redirect (HTTP 307); redirects are not followed',
  );
  expect(elsewhere.hits).toEqual([]);
});

it('the API client refuses a redirect and never sends the token or the request to the redirect target', async () => {
  const client = new FedreportClient({ baseUrl: redirecting.url, token: 'a-token-for-the-redirect-test' });
  const failure = client.status(crypto.randomUUID());
  await expect(failure).rejects.toBeInstanceOf(FedreportApiError);
  await expect(failure).rejects.toMatchObject({
    status: 302,
    code: 'unexpected_response',
    message: expect.stringContaining('the API answered a redirect, which is not followed'),
  });
  expect(elsewhere.hits).toEqual([]);
});
