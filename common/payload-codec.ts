/**
 * AES-256-GCM payload codec: everything Temporal stores for fedreport (workflow and activity inputs and results,
 * signal, query and update arguments, memo, and failure messages and stacks) is ciphertext on the server, because the
 * snapshot carries PHI. The whole inner payload (its metadata and data) is serialised and encrypted, so not even the
 * original encoding is visible. The key id travels in plaintext metadata, so a key can be rotated: new payloads use the
 * active key and older ones decode with whichever known key wrote them.
 */
import crypto from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKeyring } from './codec-keys';

/** The metadata conventions of Temporal's encryption samples, so the UI and other tools recognise the payloads. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';
export const CIPHER_METADATA_KEY = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

/** A payload names a key id that this process does not hold (not configured yet, or removed too early). */
export class UnknownCodecKeyError extends Error {
  constructor(
    readonly keyId: string,
    readonly knownKeyIds: string[],
  ) {
    super(
      `payload was encrypted with codec key "${keyId}", which is not configured here (known: ${knownKeyIds.join(', ')}); ` +
        'add it to the codec keys to read payloads written under it',
    );
    this.name = 'UnknownCodecKeyError';
  }
}

/** An encrypted payload that cannot be authenticated: altered in storage or transit, or not ours. */
export class PayloadDecryptionError extends Error {
  constructor(
    readonly keyId: string | undefined,
    reason: string,
  ) {
    super(`encrypted payload${keyId ? ` (key "${keyId}")` : ''} cannot be decrypted: ${reason}`);
    this.name = 'PayloadDecryptionError';
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: CodecKeyring) {}

  // Synchronous crypto, but failures must surface as rejections, as the SDK and the codec server await them.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.encrypt(payload)));
  }

  /** Payloads that are not encrypted (written before encryption was on) pass through unchanged. */
  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() =>
      payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload)),
    );
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keyring.activeKeyId;
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key(keyId), iv);
    const plaintext = ProtoPayload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA_KEY]: utf8(keyId),
        [CIPHER_METADATA_KEY]: utf8(CIPHER),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA_KEY];
    if (!keyIdBytes) throw new PayloadDecryptionError(undefined, `it has no ${KEY_ID_METADATA_KEY} metadata`);
    const keyId = Buffer.from(keyIdBytes).toString('utf8');
    const key = this.key(keyId);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError(keyId, 'it is too short to be AES-GCM output');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        keyId,
        'authentication failed (the payload was altered, or the key under this id is a different key)',
      );
    }
    return ProtoPayload.decode(plaintext);
  }

  private key(keyId: string): Buffer {
    const key = this.keyring.keys.get(keyId);
    if (!key) throw new UnknownCodecKeyError(keyId, [...this.keyring.keys.keys()]);
    return key;
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}

function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
