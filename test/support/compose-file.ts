/**
 * docker-compose.yml read as compose reads it, without a Docker engine: YAML merge keys, variable interpolation, and
 * each service's environment (its `env_file`s, then `environment` over them) with the secret files it mounts.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../../tooling/paths';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
  env_file?: string[];
  secrets?: string[];
  ports?: string[];
  volumes?: string[];
  restart?: string;
  healthcheck?: { test: string[] };
  container_name?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

/** Where compose mounts a secret given in the short syntax. */
export const SECRETS_MOUNT = '/run/secrets';

export const COMPOSE_FILE_TEXT = fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');

/** Compose's variable syntax: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
export function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value
      .replace(
        /(?<!\$)\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g,
        (_m, name: string, op?: string, arg?: string) => {
          const set = env[name];
          if (set) return set;
          if (op === ':?') throw new Error(`compose would refuse to start: ${arg}`);
          return op === ':-' ? (arg ?? '') : '';
        },
      )
      .replace(/\$\$/g, '$');
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  }
  return value;
}

/** The compose file with `.env`'s variables as given. */
export function parseComposeFile(dotEnv: Record<string, string>): ComposeFile {
  return interpolate(YAML.parse(COMPOSE_FILE_TEXT, { merge: true, uniqueKeys: true }), dotEnv) as ComposeFile;
}

/** `NAME=value` lines, as compose reads an env_file (comments and blank lines skipped, no quoting rules needed here). */
function readEnvFile(file: string): Record<string, string> {
  const lines = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8').split('\n');
  return Object.fromEntries(
    lines
      .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * The environment a service's process sees, with every path under /run/secrets that names a secret the service
 * mounts replaced by `secretFiles[name]` (the test's copy of that secret); a path to a secret it does not mount is
 * left as it is, so its parser fails on it as the container would.
 */
export function serviceEnvironment(
  service: ComposeService,
  secretFiles: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of service.env_file ?? []) Object.assign(env, readEnvFile(file));
  for (const [name, value] of Object.entries(service.environment ?? {})) env[name] = String(value);
  const mounted = new Set(service.secrets ?? []);
  for (const [name, value] of Object.entries(env)) {
    const secret = value.startsWith(`${SECRETS_MOUNT}/`) ? value.slice(SECRETS_MOUNT.length + 1) : undefined;
    if (secret !== undefined && mounted.has(secret) && secretFiles[secret]) env[name] = secretFiles[secret];
  }
  return env;
}
