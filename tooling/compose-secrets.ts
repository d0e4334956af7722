/**
 * `npm run compose:secrets`: the secret files docker-compose.yml mounts (./secrets, one file per secret, mode 0600)
 * and the codec server's token in .env, each created only when missing so re-running never rotates a key in use.
 * The MESH credentials are mesh-sandbox's; replace those two files with a real mailbox's (docs/deployment.md).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths';
import {
  MESH_SANDBOX_DEFAULT_SHARED_KEY,
  MESH_SANDBOX_MAILBOX_PASSWORD,
} from '../simulators/mesh-sandbox-defaults';

const randomHex = (bytes: number): string => crypto.randomBytes(bytes).toString('hex');
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Each secret of docker-compose.yml's `secrets:` by its file name under ./secrets, and how to make its content. */
export const COMPOSE_SECRET_FILES: Record<string, () => string> = {
  'codec-keys.json': () =>
    json({ activeKeyId: 'k1', keys: { k1: crypto.randomBytes(32).toString('base64') } }),
  'api-credentials.json': () => json({ tokens: [{ name: 'compose', token: randomHex(32), practices: '*' }] }),
  'mesh-password': () => MESH_SANDBOX_MAILBOX_PASSWORD,
  'mesh-shared-key': () => MESH_SANDBOX_DEFAULT_SHARED_KEY,
  'temporal-db-password': () => randomHex(24),
  'archive-db-password': () => randomHex(24),
};

/** Writes the missing secret files into `dir` (owner-only); returns the names written. */
export function writeComposeSecrets(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return Object.entries(COMPOSE_SECRET_FILES).flatMap(([name, content]) => {
    try {
      // 'wx' fails when the file exists: an existing secret is kept.
      fs.writeFileSync(path.join(dir, name), content(), { flag: 'wx', mode: 0o600 });
      return [name];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return [];
    }
  });
}

/** Appends FEDREPORT_CODEC_SERVER_TOKEN to the .env file unless it is set there already. */
export function writeCodecServerToken(envFile: string): boolean {
  const existing = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  if (/^FEDREPORT_CODEC_SERVER_TOKEN=/m.test(existing)) return false;
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  fs.writeFileSync(envFile, `${existing}${separator}FEDREPORT_CODEC_SERVER_TOKEN=${randomHex(24)}\n`, {
    mode: 0o600,
  });
  return true;
}

if (require.main === module) {
  const written = writeComposeSecrets(path.join(PROJECT_ROOT, 'secrets'));
  const token = writeCodecServerToken(path.join(PROJECT_ROOT, '.env'));
  const made = [...written.map((name) => `secrets/${name}`), ...(token ? ['.env'] : [])];
  process.stdout.write(made.length ? `created ${made.join(', ')}\n` : 'every secret file exists already\n');
}
