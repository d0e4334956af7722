/**
 * AES-256-GCM sealing shared by the Temporal payload codec and the archive's encrypted columns: one layout
 * (12-byte random IV ‖ ciphertext ‖ 16-byte tag), so both stores read with the same keys.
 */
import crypto from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The sealed bytes failed authentication or are too short: altered, truncated, or sealed under another key. */
export class AesGcmOpenError extends Error {
  constructor(readonly reason: 'too-short' | 'authentication-failed') {
    super(reason === 'too-short' ? 'it is too short to be AES-GCM output' : 'authentication failed');
    this.name = 'AesGcmOpenError';
  }
}

/** `associatedData` binds the ciphertext to where it is stored, so it cannot be moved unnoticed. */
export function sealAesGcm(key: Buffer, plaintext: Uint8Array, associatedData?: Uint8Array): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  if (associatedData) cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

export function openAesGcm(key: Buffer, sealed: Uint8Array, associatedData?: Uint8Array): Buffer {
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (data.length < IV_BYTES + TAG_BYTES) throw new AesGcmOpenError('too-short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  if (associatedData) decipher.setAAD(associatedData);
  try {
    return Buffer.concat([
      decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new AesGcmOpenError('authentication-failed');
  }
}
