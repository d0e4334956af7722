/**
 * The archive's settings: the database URL and pool size, and which codec key the NHS-number search key comes from.
 * Errors name the setting and the reason, never a URL (it may carry a password) or key material.
 */
import { parseCodecKeyring } from '../../../common/codec-keys';
import { ValidationError } from '../../../domain/validation-error';
import { databaseSettingsFromEnv } from '../../../integrations/store/database-settings';
import { fieldEncryptionFromEnv } from '../../../integrations/store/field-encryption';

const key = (fill: number): string => Buffer.alloc(32, fill).toString('base64');

describe('archive database settings', () => {
  it('reads the URL and the pool size, 10 connections by default', () => {
    expect(databaseSettingsFromEnv({ FEDREPORT_DATABASE_URL: 'postgres://u:p@db:5432/fedreport' })).toEqual({
      url: 'postgres://u:p@db:5432/fedreport',
      poolSize: 10,
    });
    expect(
      databaseSettingsFromEnv({
        FEDREPORT_DATABASE_URL: 'postgresql://db/x',
        FEDREPORT_DATABASE_POOL_SIZE: '3',
      }).poolSize,
    ).toBe(3);
  });

  it('names the missing or wrong setting without echoing the URL', () => {
    expect(() => databaseSettingsFromEnv({})).toThrow(/FEDREPORT_DATABASE_URL: is required/);
    const error = (() => {
      try {
        return databaseSettingsFromEnv({
          FEDREPORT_DATABASE_URL: 'mysql://u:secret-password@db/x',
          FEDREPORT_DATABASE_POOL_SIZE: '0',
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/FEDREPORT_DATABASE_URL: must be a PostgreSQL URL/);
    expect((error as Error).message).toMatch(/FEDREPORT_DATABASE_POOL_SIZE: must be between 1 and 100/);
    expect((error as Error).message).not.toContain('secret-password');
  });
});

describe('the NHS-number search key', () => {
  const one = parseCodecKeyring({ keys: { k1: key(1) } }, 'test');
  const rotated = parseCodecKeyring({ activeKeyId: 'k2', keys: { k1: key(1), k2: key(2) } }, 'test');

  it('comes from the only key by default, and stays the same when the active key rotates', () => {
    const before = fieldEncryptionFromEnv(one, {});
    const after = fieldEncryptionFromEnv(rotated, { FEDREPORT_ARCHIVE_SEARCH_KEY_ID: 'k1' });
    expect(before.searchKeyId).toBe('k1');
    expect(after.nhsNumberHash('9434765919')).toBe(before.nhsNumberHash('9434765919'));
    expect(before.nhsNumberHash('9434765919')).not.toContain('9434765919');
  });

  it('must be named once the keyring has several keys, and must name a configured key', () => {
    expect(() => fieldEncryptionFromEnv(rotated, {})).toThrow(
      /FEDREPORT_ARCHIVE_SEARCH_KEY_ID: is required when the codec keyring has several keys/,
    );
    expect(() => fieldEncryptionFromEnv(one, { FEDREPORT_ARCHIVE_SEARCH_KEY_ID: 'k9' })).toThrow(
      /names no configured codec key \(configured: k1\)/,
    );
  });

  it('binds sealed bytes to where they are stored', () => {
    const encryption = fieldEncryptionFromEnv(one, {});
    const sealed = encryption.seal('k1', Buffer.from('patient'), 'sent_messages.sealed_patient:a');
    expect(encryption.open('k1', sealed, 'sent_messages.sealed_patient:a').toString()).toBe('patient');
    expect(() => encryption.open('k1', sealed, 'sent_messages.sealed_patient:b')).toThrow(
      /cannot be decrypted: authentication failed/,
    );
  });
});
