/**
 * The plain form of a received document's identifier: a UUID (what the specifications ask for) is kept, in lower case
 * and without a `urn:uuid:` prefix, so both ends of a replacement link match however the sender spelled them; any other
 * identifier becomes a name-based UUID of itself, the same every time, carrying nothing of what the sender wrote.
 */
import { plainDocumentId } from '../../../domain/received-document-identity';

const UUID = 'a3c0e6f2-4b1d-4e8a-9f7c-2d5b8e1a6c40';

test('a UUID is kept, in lower case, with or without urn:uuid:', () => {
  expect(plainDocumentId(UUID)).toBe(UUID);
  expect(plainDocumentId(UUID.toUpperCase())).toBe(UUID);
  expect(plainDocumentId(`urn:uuid:${UUID}`)).toBe(UUID);
});

test('another identifier becomes a stable UUID that carries nothing of it', () => {
  const derived = plainDocumentId('9990000018 SMITH report 2');
  expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(derived).toBe(plainDocumentId('9990000018 SMITH report 2'));
  expect(derived).not.toBe(plainDocumentId('9990000018 SMITH report 3'));
});
