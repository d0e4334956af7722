import { createHash } from 'node:crypto';
import { nameBasedUuid } from '../../../domain/name-based-uuid';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('name-based UUIDs (RFC 4122 version 5)', () => {
  it('reproduces the published version 5 example (www.example.com in the DNS namespace)', () => {
    expect(nameBasedUuid(DNS_NAMESPACE, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('sets the version 5 and RFC 4122 variant bits', () => {
    const uuid = nameBasedUuid(DNS_NAMESPACE, 'anything');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('hashes names as UTF-8', () => {
    const expected = createHash('sha1')
      .update(
        Buffer.concat([Buffer.from(DNS_NAMESPACE.replace(/-/g, ''), 'hex'), Buffer.from('Zoë 😀', 'utf8')]),
      )
      .digest('hex');
    expect(nameBasedUuid(DNS_NAMESPACE, 'Zoë 😀').replace(/-/g, '').slice(0, 12)).toBe(expected.slice(0, 12));
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => nameBasedUuid('not-a-uuid', 'x')).toThrow(RangeError);
  });
});
