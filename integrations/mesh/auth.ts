import crypto from 'node:crypto';

/** What a MESH token is computed from. The password and the shared key never leave this module in clear. */
export interface MeshCredentials {
  mailbox: string;
  password: string;
  /** The environment's shared secret (HMAC key). */
  sharedKey: string;
}

/** The per-request parts of a token; fixed only by tests (the §2.2 vector), random/current otherwise. */
export interface MeshTokenParts {
  nonce: string;
  nonceCount: number;
  /** UTC `yyyyMMddHHmm`. */
  timestamp: string;
}

export const MESH_AUTH_SCHEME = 'NHSMESH';

/** UTC `yyyyMMddHHmm`: MESH rejects tokens whose timestamp is more than 2 hours from its clock. */
export function meshAuthTimestamp(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;
}

/**
 * The `Authorization` header value `NHSMESH mailbox:nonce:count:timestamp:hash`, where hash is the lower-case hex
 * HMAC-SHA256 (key = shared secret) of `mailbox:nonce:count:password:timestamp` (password 4th, timestamp last).
 * Real MESH accepts each token once, so callers build a fresh one for every HTTP attempt: by default a new random
 * nonce with count 0, which stays unique across processes and restarts without any shared counter.
 */
export function buildMeshAuthToken(
  credentials: MeshCredentials,
  parts: Partial<MeshTokenParts> = {},
): string {
  const mailbox = credentials.mailbox.toUpperCase();
  const nonce = parts.nonce ?? crypto.randomUUID();
  const nonceCount = String(parts.nonceCount ?? 0);
  const timestamp = parts.timestamp ?? meshAuthTimestamp(new Date());
  const hash = crypto
    .createHmac('sha256', Buffer.from(credentials.sharedKey, 'utf8'))
    .update(`${mailbox}:${nonce}:${nonceCount}:${credentials.password}:${timestamp}`, 'utf8')
    .digest('hex');
  return `${MESH_AUTH_SCHEME} ${mailbox}:${nonce}:${nonceCount}:${timestamp}:${hash}`;
}
