/**
 * docker-compose.yml, checked without a Docker engine: valid YAML, compose interpolation as compose does it, and the
 * environment each fedreport service gets (env_file, environment, secret files made by `npm run compose:secrets`)
 * accepted by that service's own settings parsers.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { apiConfigFromEnv } from '../../../client/api/config';
import { codecServerConfigFromEnv } from '../../../client/codec-server/config';
import { loadCodecKeyring } from '../../../common/codec-keys';
import { temporalConnectionConfigFromEnv } from '../../../common/temporal-connection';
import { meshConfigFromEnv } from '../../../integrations/mesh/config';
import { pdsConfigFromEnv } from '../../../integrations/pds/config';
import { databaseSettingsFromEnv } from '../../../integrations/store/database-settings';
import { fieldEncryptionFromEnv } from '../../../integrations/store/field-encryption';
import { workerConfigFromEnv } from '../../../worker/config';
import { FEDREPORT_SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';
import { writeCodecServerToken, writeComposeSecrets } from '../../../tooling/compose-secrets';
import { PROJECT_ROOT } from '../../../tooling/paths';
import {
  COMPOSE_FILE_TEXT,
  interpolate,
  parseComposeFile,
  serviceEnvironment,
  type ComposeService,
} from '../../support/compose-file';

const dotEnv = { FEDREPORT_CODEC_SERVER_TOKEN: crypto.randomBytes(24).toString('hex') };
const compose = parseComposeFile(dotEnv);
const services = compose.services;
const ONE_SHOT = ['temporal-schema', 'temporal-setup'];
const FEDREPORT_SERVICES = ['worker', 'api', 'codec-server'];

let secretsDir: string;
let secretFiles: Record<string, string>;
beforeAll(() => {
  secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-compose-secrets-'));
  writeComposeSecrets(secretsDir);
  secretFiles = Object.fromEntries(
    Object.entries(compose.secrets).map(([name, { file }]) => [
      name,
      path.join(secretsDir, path.basename(file)),
    ]),
  );
});
afterAll(() => fs.rmSync(secretsDir, { recursive: true, force: true }));

const envOf = (name: string): Record<string, string> => serviceEnvironment(services[name]!, secretFiles);
const dependenciesOf = (service: ComposeService): string[] =>
  Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});

describe('docker-compose.yml', () => {
  it('has the whole stack, each service buildable or pulled, no fixed container names (workers scale)', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'archive-db',
        'codec-server',
        'mesh-sandbox',
        'postgresql',
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    for (const [name, service] of Object.entries(services)) {
      expect({ name, ok: Boolean(service.image ?? service.build) }).toEqual({ name, ok: true });
      expect(service.container_name).toBeUndefined();
      for (const dependency of dependenciesOf(service)) expect(Object.keys(services)).toContain(dependency);
    }
  });

  it('refuses to start without the codec server token, naming it', () => {
    expect(() => interpolate(YAML.parse(COMPOSE_FILE_TEXT, { merge: true }), {})).toThrow(
      /FEDREPORT_CODEC_SERVER_TOKEN/,
    );
  });

  it('publishes ports on the host loopback only', () => {
    const ports = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('restarts long-running services always and one-shot jobs on failure; long-running ones have health checks', () => {
    for (const [name, service] of Object.entries(services)) {
      const oneShot = ONE_SHOT.includes(name);
      expect({ name, restart: service.restart }).toEqual({
        name,
        restart: oneShot ? 'on-failure' : 'unless-stopped',
      });
      // The UI is the one long-running service nothing waits for; its image has no HTTP client to probe it with.
      if (!oneShot && name !== 'temporal-ui')
        expect({ name, health: Boolean(service.healthcheck) }).toEqual({ name, health: true });
    }
  });

  it('waits for a dependency the way it can be waited for: healthy, or a one-shot job completed', () => {
    for (const service of Object.values(services)) {
      const conditions = Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {});
      for (const [dependency, { condition }] of Object.entries(conditions)) {
        expect({ dependency, condition }).toEqual({
          dependency,
          condition: ONE_SHOT.includes(dependency) ? 'service_completed_successfully' : 'service_healthy',
        });
        if (condition === 'service_healthy') expect(services[dependency]?.healthcheck).toBeDefined();
      }
    }
  });
});

describe('the secrets of docker-compose.yml', () => {
  it('are files under ./secrets, which git and the image build ignore', () => {
    for (const { file } of Object.values(compose.secrets)) expect(file).toMatch(/^\.\/secrets\/[\w.-]+$/);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, '.gitignore'), 'utf8')).toMatch(/^\/secrets\/$/m);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8')).toMatch(/^secrets$/m);
  });

  it('are made, owner-only, by npm run compose:secrets', () => {
    for (const file of Object.values(secretFiles))
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('are mounted by each service whose settings name them, and reach no service as a plain value', () => {
    for (const [name, service] of Object.entries(services)) {
      const env = Object.values(service.environment ?? {}).map(String);
      for (const secretPath of env.filter((value) => value.startsWith('/run/secrets/'))) {
        expect({ name, mounted: service.secrets }).toEqual({
          name,
          mounted: expect.arrayContaining([secretPath.slice('/run/secrets/'.length)]),
        });
      }
      for (const value of Object.values(envOf(name))) {
        for (const secret of Object.values(secretFiles))
          expect(value).not.toBe(fs.readFileSync(secret, 'utf8'));
      }
    }
  });
});

describe('the settings each fedreport service gets', () => {
  it('pass every parser the worker runs at start', () => {
    const env = envOf('worker');
    expect(workerConfigFromEnv(env)).toMatchObject({
      FEDREPORT_FEDERATION_FILE: 'examples/federation.yaml',
      FEDREPORT_QUARANTINE_DIR: '/var/lib/fedreport/quarantine',
      FEDREPORT_METRICS_PORT: 9464,
    });
    expect(meshConfigFromEnv(env)).toMatchObject({
      url: 'http://mesh-sandbox:8700',
      mailbox: 'X26ABC1',
      password: 'password',
      sharedKey: 'TestKey',
    });
    expect(pdsConfigFromEnv(env, () => undefined)).toMatchObject({ auth: { mode: 'none' } });
    expect(fs.existsSync(path.join(PROJECT_ROOT, env.FEDREPORT_FEDERATION_FILE!))).toBe(true);
  });

  it('pass the API and codec server parsers', () => {
    const credentials = JSON.parse(fs.readFileSync(secretFiles['api-credentials']!, 'utf8')) as {
      tokens: { token: string }[];
    };
    expect(apiConfigFromEnv(envOf('api'))).toMatchObject({
      port: 8090,
      auth: {
        mode: 'bearer',
        tokens: [{ name: 'compose', token: credentials.tokens[0]!.token, practices: '*' }],
      },
    });
    const codec = codecServerConfigFromEnv({
      ...envOf('codec-server'),
      FEDREPORT_CODEC_SERVER_HOST: '0.0.0.0',
    });
    expect(codec.tokens).toEqual([dotEnv.FEDREPORT_CODEC_SERVER_TOKEN]);
  });

  it.each(FEDREPORT_SERVICES)(
    '%s: the Temporal connection and the shared codec keys from the secret file',
    (name) => {
      expect(temporalConnectionConfigFromEnv(envOf(name)).address).toBe('temporal:7233');
      expect(loadCodecKeyring(envOf(name)).activeKeyId).toBe('k1');
    },
  );

  it.each(['worker', 'api'])('%s: the archive database, its password from the secret file', (name) => {
    const env = envOf(name);
    const url = new URL(databaseSettingsFromEnv(env).url);
    const password = fs.readFileSync(secretFiles['archive-db-password']!, 'utf8').trim();
    expect(url.host).toBe('archive-db:5432');
    expect(decodeURIComponent(url.password)).toBe(password);
    expect(fieldEncryptionFromEnv(loadCodecKeyring(env), env)).toBeDefined();
    expect(services[name]?.depends_on).toHaveProperty('archive-db.condition', 'service_healthy');
  });

  it('points the Temporal UI at the codec server, whose CORS admits the UI', () => {
    const ui = envOf('temporal-ui');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:8091/${dotEnv.FEDREPORT_CODEC_SERVER_TOKEN}`);
    expect(services['codec-server']?.ports).toContain('127.0.0.1:8091:8091');
    expect(codecServerConfigFromEnv(envOf('codec-server')).allowedOrigins).toContain('http://localhost:8080');
  });

  it('run compiled entry points whose sources exist', () => {
    for (const name of FEDREPORT_SERVICES) {
      const [entry] = services[name]?.command ?? [];
      expect(entry).toMatch(/^dist\/.+\.js$/);
      expect(
        fs.existsSync(path.join(PROJECT_ROOT, entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts'))),
      ).toBe(true);
    }
  });
});

describe('Temporal in docker-compose.yml', () => {
  it('is the server image on PostgreSQL, started after the schema job', () => {
    const temporal = services.temporal!;
    expect(temporal.image).toMatch(/^temporalio\/server:/);
    expect(temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(temporal.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
  });

  it('has its persistence and SQL visibility schemas created and upgraded with temporal-sql-tool', () => {
    const job = services['temporal-schema']!;
    const script = job.command?.join('\n') ?? '';
    expect(job.environment).toMatchObject({ DBNAME: 'temporal', VISIBILITY_DBNAME: 'temporal_visibility' });
    expect(script).toContain('temporal-sql-tool --plugin "$DB"');
    for (const step of [
      'create-database',
      'setup-schema -v 0.0',
      'update-schema -d "$schemas/$schema/versioned"',
    ])
      expect(script).toContain(step);
    expect(script).toContain('"$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"');
  });

  it('registers every search attribute the workflows use', () => {
    const setup = services['temporal-setup']?.command?.join('\n') ?? '';
    const registered = [...setup.matchAll(/(\w+)=(\w+)/g)].map(
      ([, name, type]) => `${name}=${type!.toUpperCase()}`,
    );
    for (const key of FEDREPORT_SEARCH_ATTRIBUTES)
      expect(registered).toContain(`${key.name}=${key.type.replace('_', '')}`);
  });
});

/** Debian's docker-compose (installed by .ci/run), when present: compose's own validation of the file. */
const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

(dockerCompose ? describe : describe.skip)('docker-compose config', () => {
  let projectDir: string;
  beforeAll(() => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-compose-project-'));
    for (const entry of ['docker-compose.yml', 'Dockerfile', 'docker'])
      fs.symlinkSync(path.join(PROJECT_ROOT, entry), path.join(projectDir, entry));
  });
  afterAll(() => fs.rmSync(projectDir, { recursive: true, force: true }));
  const config = () => spawnSync('docker-compose', ['config'], { cwd: projectDir, encoding: 'utf8' });

  it('refuses the file while the secret files and the .env token are missing', () => {
    const result = config();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('FEDREPORT_CODEC_SERVER_TOKEN');
  });

  it('accepts it once npm run compose:secrets has made them, with every secret a file of the project', () => {
    writeComposeSecrets(path.join(projectDir, 'secrets'));
    writeCodecServerToken(path.join(projectDir, '.env'));
    const result = config();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const resolved = YAML.parse(result.stdout) as { secrets: Record<string, { file: string }> };
    for (const { file } of Object.values(resolved.secrets)) expect(fs.existsSync(file)).toBe(true);
  });
});
