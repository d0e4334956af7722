/**
 * The simulator's edges: the admin endpoint's answers to bad requests, options and environment settings that name
 * what is wrong (and never an NHS number), start-up against a mailbox that does not exist, per-mailbox responder ODS
 * codes.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { MeshError } from '../../../integrations/mesh/errors';
import { ValidationError } from '../../../domain/validation-error';
import {
  DEFAULT_ADMIN_PORT,
  RECEIVING_PRACTICE_ENV as ENV,
  receivingPracticeSettingsFromEnv,
} from '../../../simulators/receiving-practice/settings';
import { startReceivingPractice } from '../../../simulators/receiving-practice/simulator';
import { meshTestConfig, testMeshSandbox } from '../../support/mesh';
import { PATIENT_A, PATIENT_B, closeSimulators, startTestSimulator, waitFor } from './support';

afterEach(() => closeSimulators());

describe('admin endpoint', () => {
  const put = (url: string, body: string, contentType = 'application/json') =>
    fetch(`${url}/behaviour`, { method: 'PUT', headers: { 'content-type': contentType }, body });

  test('health, stats, behaviour; per-patient rules are counted, never listed', async () => {
    const practice = await startTestSimulator({
      mailboxes: ['X26ABC2'],
      behaviour: {
        default: { mode: 'infrastructure-only' },
        patients: [{ nhsNumber: PATIENT_A.patient.nhsNumber, policy: { mode: 'none' } }],
      },
    });
    expect(practice.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${practice.adminUrl}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${practice.adminUrl}/stats`)).json()).toEqual({
      mailboxes: {
        X26ABC2: { received: 0, duplicates: 0, invalid: 0, unanswered: 0, ignored: 0, acknowledged: 0 },
      },
      acksSent: {},
      ackFailures: 0,
      pollErrors: 0,
      pendingAnswers: 0,
    });
    const behaviour = await fetch(`${practice.adminUrl}/behaviour`);
    const text = await behaviour.text();
    expect(JSON.parse(text)).toEqual({ default: { mode: 'infrastructure-only' }, patientRules: 1 });
    expect(text).not.toContain(PATIENT_A.patient.nhsNumber);
  });

  test('rejections name the field and the reason, never the NHS number, and change nothing', async () => {
    const practice = await startTestSimulator({ mailboxes: ['X26ABC2'] });
    const invalid = await put(
      practice.adminUrl,
      JSON.stringify({
        default: { mode: 'negative', code: '20013' },
        patients: [
          { nhsNumber: '9990000019', policy: { mode: 'delayed', delayMs: -1 } },
          { nhsNumber: PATIENT_B.patient.nhsNumber, policy: { mode: 'sometimes' } },
        ],
      }),
    );
    expect(invalid.status).toBe(422);
    const body = await invalid.text();
    expect(JSON.parse(body).issues).toEqual([
      { field: 'default.code', reason: expect.stringMatching(/negative code/) },
      { field: 'patients[0].nhsNumber', reason: expect.stringMatching(/Modulus 11/) },
      { field: 'patients[0].policy.delayMs', reason: expect.any(String) },
      { field: 'patients[1].policy.mode', reason: expect.stringMatching(/positive|mode/) },
    ]);
    expect(body).not.toContain('9990000019');
    expect(body).not.toContain(PATIENT_B.patient.nhsNumber);

    const repeated = await put(
      practice.adminUrl,
      JSON.stringify({
        patients: [0, 1].map(() => ({ nhsNumber: PATIENT_A.patient.nhsNumber, policy: { mode: 'none' } })),
      }),
    );
    expect(repeated.status).toBe(422);
    expect(((await repeated.json()) as { issues: unknown }).issues).toEqual([
      { field: 'patients[1].nhsNumber', reason: 'repeats an earlier entry' },
    ]);

    expect((await put(practice.adminUrl, '{"default":', 'application/json')).status).toBe(400);
    expect((await put(practice.adminUrl, '{}', 'text/plain')).status).toBe(415);
    expect((await put(practice.adminUrl, JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }))).status).toBe(
      413,
    );
    expect((await fetch(`${practice.adminUrl}/nowhere`)).status).toBe(404);
    const wrongMethod = await fetch(`${practice.adminUrl}/stats`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');

    expect(await (await fetch(`${practice.adminUrl}/behaviour`)).json()).toEqual({
      default: { mode: 'positive' },
      patientRules: 0,
    });
    expect(() => practice.setBehaviour({ default: { mode: 'delayed' } as never })).toThrow(ValidationError);
  });
});

describe('start-up', () => {
  test('options are checked before anything starts: each wrong field is named', async () => {
    const mesh = { url: testMeshSandbox().url, sharedKey: testMeshSandbox().sharedKey };
    const start = startReceivingPractice({
      mesh,
      mailboxes: ['X26ABC2', 'not a mailbox'],
      pollIntervalMs: 1.5,
      responderOdsCode: 'lower',
    });
    await expect(start).rejects.toBeInstanceOf(ValidationError);
    await expect(start).rejects.toMatchObject({
      issues: expect.arrayContaining([
        expect.objectContaining({ field: 'mailboxes[1]' }),
        expect.objectContaining({ field: 'pollIntervalMs' }),
        expect.objectContaining({ field: 'responderOdsCode' }),
      ]),
    });
    await expect(startReceivingPractice({ mesh, mailboxes: ['X26ABC2', 'x26abc2'] })).rejects.toMatchObject({
      issues: [{ field: 'mailboxes[1]', reason: 'repeats an earlier mailbox' }],
    });
  });

  test('a mailbox MESH does not know fails the start (handshake) instead of failing every poll', async () => {
    const start = startReceivingPractice({
      mesh: (mailbox) => meshTestConfig(mailbox, { retry: { maxAttempts: 1 } }),
      mailboxes: ['X26ABC2', 'NOSUCHMAILBOX'],
    });
    await expect(start).rejects.toBeInstanceOf(MeshError);
  });

  test('shared connection settings with the sandbox password by default', async () => {
    const practice = await startReceivingPractice({
      mesh: { url: testMeshSandbox().url, sharedKey: testMeshSandbox().sharedKey },
      mailboxes: ['x26abc3'],
      pollIntervalMs: 50,
    });
    try {
      expect(Object.keys(practice.stats().mailboxes)).toEqual(['X26ABC3']);
    } finally {
      await practice.close();
    }
  });
});

describe('settings from the environment', () => {
  const base = { [ENV.meshUrl]: 'http://127.0.0.1:8700' };

  test('defaults, mailboxes from the list (upper case, once each), behaviour shorthand', () => {
    const settings = receivingPracticeSettingsFromEnv({
      ...base,
      [ENV.mailboxes]: 'x26abc2, X26ABC3,X26ABC2',
      [ENV.behaviour]: 'negative:30002',
      [ENV.pollIntervalMs]: '250',
      [ENV.replyMailbox]: '',
    });
    expect(settings).toEqual({
      options: {
        mesh: { url: 'http://127.0.0.1:8700', sharedKey: 'TestKey' },
        mailboxes: ['X26ABC2', 'X26ABC3'],
        mailboxPassword: undefined,
        replyMailbox: undefined,
        responderOdsCode: undefined,
        pollIntervalMs: 250,
        behaviour: { default: { mode: 'negative', code: '30002' } },
        adminPort: DEFAULT_ADMIN_PORT,
        adminHost: undefined,
      },
      logLevel: 'info',
    });
    const shorthand = (text: string) =>
      receivingPracticeSettingsFromEnv({ ...base, [ENV.mailboxes]: 'X26ABC2', [ENV.behaviour]: text }).options
        .behaviour;
    expect(shorthand('delayed:2500')).toEqual({ default: { mode: 'delayed', delayMs: 2500 } });
    expect(shorthand('positive:30004')).toEqual({ default: { mode: 'positive', businessCode: '30004' } });
    expect(shorthand('infrastructure-only')).toEqual({ default: { mode: 'infrastructure-only' } });
    expect(shorthand('none')).toEqual({ default: { mode: 'none' } });
  });

  test('errors name each variable and the reason', () => {
    const settings = (env: NodeJS.ProcessEnv) => () => receivingPracticeSettingsFromEnv(env);

    expect(settings({})).toThrow(
      expect.objectContaining({
        issues: expect.arrayContaining([{ field: ENV.meshUrl, reason: 'is required' }]),
      }),
    );
    expect(
      settings({
        ...base,
        [ENV.behaviour]: 'delayed:soon',
        [ENV.pollIntervalMs]: '5',
        [ENV.mailboxes]: 'X26ABC2',
      }),
    ).toThrow(
      expect.objectContaining({
        issues: [
          { field: ENV.pollIntervalMs, reason: 'must be between 10 and 3600000' },
          { field: ENV.behaviour, reason: expect.stringMatching(/^delayMs: /) },
        ],
      }),
    );
    for (const mailboxes of [undefined, ' , ']) {
      expect(settings({ ...base, [ENV.mailboxes]: mailboxes })).toThrow(
        expect.objectContaining({
          issues: [{ field: ENV.mailboxes, reason: 'is required: the mailboxes to poll' }],
        }),
      );
    }
  });
});

test('main.ts runs from the environment: reports its admin URL, serves it, stops on SIGTERM; a wrong variable is named', async () => {
  const tsx = require.resolve('tsx/cli');
  const main = path.resolve(__dirname, '../../../simulators/receiving-practice/main.ts');
  const sandbox = testMeshSandbox();
  const env = {
    PATH: process.env.PATH,
    [ENV.meshUrl]: sandbox.url,
    [ENV.meshSharedKey]: sandbox.sharedKey,
    [ENV.mailboxes]: 'X26ABC2',
    [ENV.adminPort]: '0',
    [ENV.logLevel]: 'silent',
  };
  const child = spawn(process.execPath, [tsx, main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const adminUrl = await waitFor(
      'the admin URL',
      () => /admin endpoint (http:\S+)/.exec(output)?.[1],
      30_000,
    );
    expect(await (await fetch(`${adminUrl}/stats`)).json()).toMatchObject({
      mailboxes: { X26ABC2: { received: 0 } },
    });
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);

  const failing = spawn(process.execPath, [tsx, main], {
    env: { ...env, [ENV.pollIntervalMs]: 'often' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  failing.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  expect(await new Promise((resolve) => failing.once('exit', resolve))).toBe(1);
  expect(errors).toContain(`${ENV.pollIntervalMs}: must be a whole number`);
});
