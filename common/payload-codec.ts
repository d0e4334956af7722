/**
 * AES-256-GCM payload codec: everything Temporal stores for fedreport (workflow and activity inputs and results,
 * signal, query and update arguments, memo, and failure messages and stacks) is ciphertext on the server, because the
 * snapshot carries PHI. The whole inner payload (its metadata and data) is serialised and encrypted, so not even the
 * original encoding is visible. The key id travels in plaintext metadata, so a key can be rotated: new payloads use the
 * active key and older ones decode with whichever known key wrote them.
 *
 * Decoding refuses a payload that is not encrypted: anyone who can reach the Temporal server could otherwise signal a
 * workflow with a forged plaintext value. FEDREPORT_CODEC_ACCEPT_PLAINTEXT=1 lets them through, only to read
 * histories written before encryption was on (docs/deployment.md).
 */
import { ApplicationFailure, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { ValidationError, fieldIssuesFromZod } from '../domain/validation-error';
import { AesGcmOpenError, openAesGcm, sealAesGcm } from './aes-gcm';
import type { CodecKeyring } from './codec-keys';
import { booleanText } from './env-fields';

/** The metadata conventions of Temporal's encryption samples, so the UI and other tools recognise the payloads. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';
export const CIPHER_METADATA_KEY = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const ProtoPayload = temporal.api.common.v1.Payload;

export const ACCEPT_PLAINTEXT_ENV = 'FEDREPORT_CODEC_ACCEPT_PLAINTEXT';

export interface PayloadCodecOptions {
  /** Migration only: decode() returns unencrypted payloads unchanged instead of refusing them. */
  acceptPlaintext: boolean;
}

/** Reads FEDREPORT_CODEC_ACCEPT_PLAINTEXT (off unless set to true or 1). */
export function payloadCodecOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PayloadCodecOptions {
  const result = z.object({ [ACCEPT_PLAINTEXT_ENV]: booleanText }).safeParse(env);
  if (!result.success) throw new ValidationError('payload codec settings', fieldIssuesFromZod(result.error));
  return { acceptPlaintext: result.data[ACCEPT_PLAINTEXT_ENV] ?? false };
}

/**
 * A payload names a key id that this process does not hold (not configured yet, or removed too early). The message
 * names only that id: the ids this process holds are no business of whoever sent the payload.
 */
export class UnknownCodecKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `payload was encrypted with codec key "${keyId}", which is not configured here; ` +
        'add it to the codec keys to read payloads written under it',
    );
    this.name = 'UnknownCodecKeyError';
  }
}

/**
 * A payload that is not encrypted, refused because it may be forged. An ApplicationFailure marked non-retryable, so an
 * activity given one fails at once; a workflow task given one fails and the workflow does not act on it. The message
 * names no payload content.
 */
export class PlaintextPayloadError extends ApplicationFailure {
  constructor() {
    super(
      `payload is not encrypted (encoding is not ${ENCRYPTED_ENCODING}), so it is refused: it may be forged. ` +
        `Set ${ACCEPT_PLAINTEXT_ENV}=1 only to read histories written before encryption was on`,
      'PlaintextPayload',
      true,
    );
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
  constructor(
    private readonly keyring: CodecKeyring,
    private readonly options: PayloadCodecOptions = { acceptPlaintext: false },
  ) {}

  // Synchronous crypto, but failures must surface as rejections, as the SDK and the codec server await them.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.decodeOne(payload)));
  }

  private decodeOne(payload: Payload): Payload {
    if (isEncrypted(payload)) return this.decrypt(payload);
    if (this.options.acceptPlaintext) return payload;
    throw new PlaintextPayloadError();
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keyring.activeKeyId;
    return {
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA_KEY]: utf8(keyId),
        [CIPHER_METADATA_KEY]: utf8(CIPHER),
      },
      data: sealAesGcm(this.key(keyId), ProtoPayload.encode(payload).finish()),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA_KEY];
    if (!keyIdBytes) throw new PayloadDecryptionError(undefined, `it has no ${KEY_ID_METADATA_KEY} metadata`);
    const keyId = Buffer.from(keyIdBytes).toString('utf8');
    const key = this.key(keyId);
    let plaintext: Buffer;
    try {
      plaintext = openAesGcm(key, payload.data ?? new Uint8Array());
    } catch (error) {
      if (!(error instanceof AesGcmOpenError)) throw error;
      throw new PayloadDecryptionError(
        keyId,
        error.reason === 'too-short'
          ? error.message
          : 'authentication failed (the payload was altered, or the key under this id is a different key)',
      );
    }
    return ProtoPayload.decode(plaintext);
  }

  private key(keyId: string): Buffer {
    const key = this.keyring.keys.get(keyId);
    if (!key) throw new UnknownCodecKeyError(keyId);
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
