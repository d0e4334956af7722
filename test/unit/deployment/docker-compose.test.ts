/**
 * docker-compose.yml, checked without a Docker engine: valid YAML, compose interpolation as compose does it, and the
 * environment each fedreport service gets accepted by that service's own settings parser.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { apiConfigFromEnv } from '../../../client/api/config';
import { codecServerConfigFromEnv } from '../../../client/codec-server/config';
import { loadCodecKeyring } from '../../../common/codec-keys';
import { temporalConnectionConfigFromEnv } from '../../../common/temporal-connection';
import { FEDREPORT_SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';

const ROOT = path.resolve(__dirname, '../../..');
const source = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');

/** Compose's variable syntax: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
        const set = env[name];
        if (set) return set;
        if (op === ':?') throw new Error(`compose would refuse to start: ${arg}`);
        return op === ':-' ? (arg ?? '') : '';
      })
      .replace(/\$\$/g, '$');
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  }
  return value;
}

const secrets = {
  FEDREPORT_CODEC_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`,
  FEDREPORT_API_TOKENS: crypto.randomBytes(24).toString('hex'),
  FEDREPORT_CODEC_SERVER_TOKEN: crypto.randomBytes(24).toString('hex'),
};

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  depends_on?: string[] | Record<string, unknown>;
  environment?: Record<string, string | number>;
  ports?: string[];
  container_name?: string;
}

const compose = interpolate(YAML.parse(source, { merge: true, uniqueKeys: true }), secrets) as {
  services: Record<string, Service>;
};
const services = compose.services;
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, String(v)]));

describe('docker-compose.yml', () => {
  it('has the whole stack, each service buildable or pulled, no fixed container names (workers scale)', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'codec-server',
        'mesh-sandbox',
        'postgresql',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    for (const [name, service] of Object.entries(services)) {
      expect({ name, ok: Boolean(service.image ?? service.build) }).toEqual({ name, ok: true });
      expect(service.container_name).toBeUndefined();
      const dependencies = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect(Object.keys(services)).toContain(dependency);
    }
  });

  it('refuses to start without the secrets, naming them', () => {
    const parsed = YAML.parse(source, { merge: true });
    expect(() => interpolate(parsed, {})).toThrow(
      /FEDREPORT_CODEC_KEYS|FEDREPORT_API_TOKENS|FEDREPORT_CODEC_SERVER_TOKEN/,
    );
  });

  it('publishes ports on the host loopback only', () => {
    const ports = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('gives the API and the codec server settings their own parsers accept', () => {
    const api = apiConfigFromEnv(envOf('api'));
    expect(api).toMatchObject({
      port: 8090,
      auth: { mode: 'bearer', tokens: [{ token: secrets.FEDREPORT_API_TOKENS, practices: '*' }] },
    });
    const codec = codecServerConfigFromEnv({
      ...envOf('codec-server'),
      FEDREPORT_CODEC_SERVER_HOST: '0.0.0.0',
    });
    expect(codec.tokens).toEqual([secrets.FEDREPORT_CODEC_SERVER_TOKEN]);
    for (const name of ['api', 'codec-server', 'worker']) {
      expect(temporalConnectionConfigFromEnv(envOf(name)).address).toBe('temporal:7233');
      expect(loadCodecKeyring(envOf(name)).activeKeyId).toBe('k1');
    }
  });

  it('points the Temporal UI at the codec server, whose CORS admits the UI', () => {
    const ui = envOf('temporal-ui');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:8091/${secrets.FEDREPORT_CODEC_SERVER_TOKEN}`);
    expect(services['codec-server']?.ports).toContain('127.0.0.1:8091:8091');
    expect(codecServerConfigFromEnv(envOf('codec-server')).allowedOrigins).toContain('http://localhost:8080');
  });

  it('registers every search attribute the workflows use', () => {
    const setup = services['temporal-setup']?.command?.join('\n') ?? '';
    const registered = [...setup.matchAll(/(\w+)=(\w+)/g)].map(([, name, type]) => `${name}=${type!.toUpperCase()}`);
    for (const key of FEDREPORT_SEARCH_ATTRIBUTES) expect(registered).toContain(`${key.name}=${key.type.replace('_', '')}`);
  });

  it('runs entry points and builds from files that exist', () => {
    for (const name of ['api', 'codec-server']) {
      const [entry] = services[name]?.command ?? [];
      expect(fs.existsSync(path.join(ROOT, entry!))).toBe(true);
    }
    for (const file of [
      'Dockerfile',
      '.dockerignore',
      'docker/mesh-sandbox.Dockerfile',
      'tooling/python-requirements.txt',
    ]) {
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
    }
  });
});
