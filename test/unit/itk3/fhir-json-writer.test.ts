import { FhirSerialisationError } from '../../../integrations/itk3/errors';
import type { Resource } from '../../../integrations/itk3/fhir-stu3-types';
import { toFhirJson } from '../../../integrations/itk3/fhir-json-writer';
import { fixtureMessage } from './fixtures';

describe('FHIR JSON writer', () => {
  it('orders properties by definition: resourceType first, _name right after name', () => {
    const json = toFhirJson({
      birthDate: '1958-03-14',
      _birthDate: { extension: [{ valueString: 'x', url: 'u' }] },
      identifier: [{ value: '9990000018', system: 'https://fhir.nhs.uk/Id/nhs-number' }],
      resourceType: 'Patient',
      id: 'p1',
    });
    expect(JSON.parse(json)).toEqual({
      resourceType: 'Patient',
      id: 'p1',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
      birthDate: '1958-03-14',
      _birthDate: { extension: [{ url: 'u', valueString: 'x' }] },
    });
    expect(Object.keys(JSON.parse(json) as object)).toEqual([
      'resourceType',
      'id',
      'identifier',
      'birthDate',
      '_birthDate',
    ]);
  });

  it('writes the same content as the message object, byte-stable across builds', async () => {
    const message = await fixtureMessage();
    const json = toFhirJson(message);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(message)));
    expect(toFhirJson(await fixtureMessage())).toBe(json);
  });

  it('rejects what the XML writer rejects', () => {
    expect(() => toFhirJson({ resourceType: 'Patient', gender: '' } as Resource)).toThrow(
      FhirSerialisationError,
    );
    expect(() => toFhirJson({ resourceType: 'Patient', nickname: 'x' } as Resource)).toThrow(
      /Patient.nickname/,
    );
    expect(() => toFhirJson({ resourceType: 'Patient', meta: 'x' } as unknown as Resource)).toThrow(
      /must be an object/,
    );
  });
});
