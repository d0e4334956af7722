import { attachmentBinaryIds, messageIdentity, responseIdentity } from '../../../domain/report-identity';
import { validationIssues } from '../../support/validation-issues';

const ENCOUNTER = '4f1c2e9a-7b3d-4c5e-9a1f-2b6d8e0c3a71';
const BUILT_AT = '2026-11-20T13:45:00Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const invalidFields = (action: () => unknown): string[] => validationIssues(action).map((issue) => issue.field);

describe('message identity', () => {
  const identity = messageIdentity(ENCOUNTER, 1, BUILT_AT);
  const ids = Object.entries(identity).filter(([key]) => key !== 'timestamp');

  it('gives distinct UUIDs for every resource of the message', () => {
    for (const [, id] of ids) expect(id).toMatch(UUID);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    expect(identity.timestamp).toBe('2026-11-20T13:45:00.000Z');
  });

  it('is the same for a retry of the same version, however the inputs are spelled', () => {
    expect(messageIdentity(ENCOUNTER, 1, BUILT_AT)).toEqual(identity);
    expect(messageIdentity(ENCOUNTER.toUpperCase(), 1, '2026-11-20T14:45:00.000+01:00')).toEqual(identity);
    expect(messageIdentity(ENCOUNTER, 1, new Date(BUILT_AT))).toEqual(identity);
  });

  it('changes every id for a new version, another first build time or another encounter', () => {
    const others = [
      messageIdentity(ENCOUNTER, 2, BUILT_AT),
      messageIdentity(ENCOUNTER, 1, '2026-11-20T13:45:01Z'),
      messageIdentity('0b4f2a1c-3d5e-4f60-8a7b-9c0d1e2f3a4b', 1, BUILT_AT),
    ];
    for (const other of others) {
      for (const [key, id] of ids) expect(other[key as keyof typeof other]).not.toBe(id);
    }
  });

  it('derives attachment Binary ids in order, stable per index', () => {
    const binaries = attachmentBinaryIds(ENCOUNTER, 1, BUILT_AT, 3);
    expect(binaries).toHaveLength(3);
    expect(new Set([...binaries, ...ids.map(([, id]) => id)]).size).toBe(3 + ids.length);
    expect(attachmentBinaryIds(ENCOUNTER, 1, BUILT_AT, 2)).toEqual(binaries.slice(0, 2));
  });

  it('names every invalid input', () => {
    expect(invalidFields(() => messageIdentity('not-a-guid', 0, '2026-11-20 13:45'))).toEqual([
      'encounterId',
      'version',
      'firstBuiltAt',
    ]);
    expect(invalidFields(() => messageIdentity(ENCOUNTER, 1.5, new Date(Number.NaN)))).toEqual([
      'version',
      'firstBuiltAt',
    ]);
  });

  it('derives response ids from what they answer, their code and time', () => {
    const response = responseIdentity(identity.messageHeaderId, '20013', BUILT_AT);
    expect(responseIdentity(identity.messageHeaderId, '20013', BUILT_AT)).toEqual(response);
    expect(responseIdentity(identity.messageHeaderId, '30001', BUILT_AT).messageHeaderId).not.toBe(
      response.messageHeaderId,
    );
    expect(invalidFields(() => responseIdentity(identity.messageHeaderId, '20013', 'yesterday'))).toEqual([
      'respondedAt',
    ]);
  });
});
