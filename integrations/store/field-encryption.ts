/**
 * Patient data at rest in the archive: AES-256-GCM under the payload codec's keyring (new rows use the active key,
 * the key id is stored per row, so rows written before a rotation still open), and the NHS number as a keyed hash.
 *
 * The hash key must not change when the codec key rotates, or earlier rows could no longer be found. It is derived
 * with HKDF-SHA-256 from the codec key named by FEDREPORT_ARCHIVE_SEARCH_KEY_ID (by default the only key; required
 * once the keyring has several). Rotation adds a new active key and keeps the old ones for decryption, so the search
 * key stays available; a separate derivation ("info") keeps the hash key distinct from the encryption key.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { AesGcmOpenError, openAesGcm, sealAesGcm } from '../../common/aes-gcm';
import type { CodecKeyring } from '../../common/codec-keys';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';

export const ARCHIVE_SEARCH_KEY_ENV = 'FEDREPORT_ARCHIVE_SEARCH_KEY_ID';

const SEARCH_KEY_INFO = 'fedreport archive NHS-number search v1';

/** A sealed column failed to open: a key that is not configured, or bytes altered or moved. Names no content. */
export class ArchiveDecryptionError extends Error {
  constructor(where: string, keyId: string, reason: string) {
    super(`archive ${where} (key "${keyId}") cannot be decrypted: ${reason}`);
    this.name = 'ArchiveDecryptionError';
  }
}

export interface SealedValue {
  keyId: string;
  sealed: Buffer;
}

export class FieldEncryption {
  private readonly searchKey: Buffer;

  constructor(
    private readonly keyring: CodecKeyring,
    readonly searchKeyId: string,
  ) {
    this.searchKey = Buffer.from(
      crypto.hkdfSync('sha256', this.key(searchKeyId, 'search key'), Buffer.alloc(0), SEARCH_KEY_INFO, 32),
    );
  }

  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  /** `where` (table.column:row id) is authenticated with the ciphertext, so sealed bytes cannot be swapped between rows. */
  seal(keyId: string, plaintext: Uint8Array, where: string): Buffer {
    return sealAesGcm(this.key(keyId, where), plaintext, Buffer.from(where, 'utf8'));
  }

  open(keyId: string, sealed: Uint8Array, where: string): Buffer {
    try {
      return openAesGcm(this.key(keyId, where), sealed, Buffer.from(where, 'utf8'));
    } catch (error) {
      if (error instanceof AesGcmOpenError) throw new ArchiveDecryptionError(where, keyId, error.message);
      throw error;
    }
  }

  /** HMAC-SHA-256 of the 10-digit NHS number (spaces removed), hex. */
  nhsNumberHash(nhsNumber: string): string {
    return crypto
      .createHmac('sha256', this.searchKey)
      .update(nhsNumber.replace(/\s/g, ''), 'utf8')
      .digest('hex');
  }

  private key(keyId: string, where: string): Buffer {
    const key = this.keyring.keys.get(keyId);
    if (!key) throw new ArchiveDecryptionError(where, keyId, 'no codec key with this id is configured');
    return key;
  }
}

const envSchema = z.object({ [ARCHIVE_SEARCH_KEY_ENV]: z.string().trim().optional() });

/** The archive's encryption from the codec keyring and FEDREPORT_ARCHIVE_SEARCH_KEY_ID (see the file comment). */
export function fieldEncryptionFromEnv(
  keyring: CodecKeyring,
  env: NodeJS.ProcessEnv = process.env,
): FieldEncryption {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ValidationError('archive settings', fieldIssuesFromZod(parsed.error));
  const ids = [...keyring.keys.keys()];
  const searchKeyId = parsed.data[ARCHIVE_SEARCH_KEY_ENV] || (ids.length === 1 ? ids[0] : undefined);
  const refuse = (reason: string) =>
    new ValidationError('archive settings', [{ field: ARCHIVE_SEARCH_KEY_ENV, reason }]);
  if (searchKeyId === undefined) {
    throw refuse(
      'is required when the codec keyring has several keys: name the key the archive first hashed NHS numbers with',
    );
  }
  if (!keyring.keys.has(searchKeyId))
    throw refuse(`names no configured codec key (configured: ${ids.join(', ')})`);
  return new FieldEncryption(keyring, searchKeyId);
}
