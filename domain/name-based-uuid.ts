/**
 * RFC 4122 §4.3 name-based UUIDs, version 5 (SHA-1): the same namespace and name always give the same UUID. SHA-1
 * only spreads names over the UUID space here; it protects nothing, so its known collision attacks do not matter
 * (RFC 4122 itself specifies SHA-1 for version 5). Activities compute these ids; workflow code never does.
 */
import { createHash } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function nameBasedUuid(namespace: string, name: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new RangeError('namespace must be a UUID');
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes.readUInt8(6) & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes.readUInt8(8) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
