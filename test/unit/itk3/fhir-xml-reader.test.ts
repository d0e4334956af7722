import { Itk3ParseError } from '../../../integrations/itk3/errors';
import { fromFhirXml } from '../../../integrations/itk3/fhir-xml-reader';
import { toFhirJson } from '../../../integrations/itk3/fhir-json-writer';
import { toFhirXml } from '../../../integrations/itk3/fhir-xml-writer';
import { fixtureMessage, snapshotFixture } from './fixtures';

function parseError(xml: string): Itk3ParseError {
  try {
    fromFhirXml(xml);
  } catch (error) {
    if (error instanceof Itk3ParseError) return error;
    throw error;
  }
  throw new Error('expected an Itk3ParseError');
}

describe('FHIR XML reader', () => {
  it('reads back exactly what the writer wrote, including awkward characters', async () => {
    const snapshot = snapshotFixture((input) => {
      input.patient.name.family = `O'Brien & <Zoë> "Ní"`;
      input.hostingPractice.name = 'Line\tone\nLine two';
    });
    const message = await fixtureMessage({ snapshot, version: 2 });
    const xml = toFhirXml(message);
    const read = fromFhirXml(xml);
    expect(toFhirJson(read)).toBe(toFhirJson(message));
    expect(toFhirXml(read)).toBe(xml);
  });

  it('reads booleans and integers as JSON values, repeating elements as arrays', () => {
    const read = fromFhirXml(
      '<Patient xmlns="http://hl7.org/fhir"><active value="true"/><name><given value="A"/></name><multipleBirthInteger value="2"/></Patient>',
    );
    expect(read).toEqual({
      resourceType: 'Patient',
      active: true,
      name: [{ given: ['A'] }],
      multipleBirthInteger: 2,
    });
  });

  it('reads a prefixed FHIR namespace, a byte order mark, comments and foreign attributes', () => {
    const read = fromFhirXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- ack --><f:Patient xmlns:f="http://hl7.org/fhir" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x"><f:id value="p"/><!-- c --><f:gender value="male"/></f:Patient>',
    );
    expect(read).toEqual({ resourceType: 'Patient', id: 'p', gender: 'male' });
  });

  it('keeps a primitive id and extensions as _name, aligned for repeating elements', () => {
    const read = fromFhirXml(
      '<Patient xmlns="http://hl7.org/fhir"><name><given value="A"/><given id="g2"><extension url="u"><valueString value="x"/></extension></given></name></Patient>',
    );
    expect(read).toEqual({
      resourceType: 'Patient',
      name: [
        { given: ['A', null], _given: [null, { id: 'g2', extension: [{ url: 'u', valueString: 'x' }] }] },
      ],
    });
  });

  it('reads a narrative declared with a prefix as a standalone XHTML string', () => {
    const read = fromFhirXml(
      '<Patient xmlns="http://hl7.org/fhir" xmlns:h="http://www.w3.org/1999/xhtml"><text><status value="generated"/><h:div><h:p>a &amp; b</h:p></h:div></text></Patient>',
    ) as { text?: { div?: string } };
    expect(read.text?.div).toBe('<h:div xmlns:h="http://www.w3.org/1999/xhtml"><h:p>a &amp; b</h:p></h:div>');
  });

  it('reads resources of types outside the element table as their type only', () => {
    expect(
      fromFhirXml(
        '<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/><entry><resource><Observation><status value="final"/></Observation></resource></entry></Bundle>',
      ),
    ).toEqual({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Observation' } }],
    });
  });

  it.each([
    ['', 'unreadable', undefined],
    ['just text', 'unreadable', undefined],
    ['<Patient xmlns="http://hl7.org/fhir"><id value="x"></Patient>', 'unreadable', undefined],
    ['<Patient xmlns="http://hl7.org/fhir"/><Patient xmlns="http://hl7.org/fhir"/>', 'unreadable', undefined],
    ['<!DOCTYPE p [<!ENTITY x "y">]><Patient xmlns="http://hl7.org/fhir"/>', 'unreadable', undefined],
    ['<Patient><id value="x"/></Patient>', 'not-fhir', 'Patient'],
    ['<Patient xmlns="http://hl7.org/fhir/other"/>', 'not-fhir', 'Patient'],
    [
      '<Patient xmlns="http://hl7.org/fhir"><x:id xmlns:x="urn:x" value="1"/></Patient>',
      'not-fhir',
      'Patient.id',
    ],
    ['<Patient xmlns="http://hl7.org/fhir"><gender>male</gender></Patient>', 'not-fhir', 'Patient.gender'],
    [
      '<Patient xmlns="http://hl7.org/fhir"><nickname value="x"/></Patient>',
      'unexpected-content',
      'Patient.nickname',
    ],
    [
      '<Patient xmlns="http://hl7.org/fhir"><gender value="male"/><gender value="female"/></Patient>',
      'unexpected-content',
      'Patient.gender',
    ],
    [
      '<Patient xmlns="http://hl7.org/fhir"><active value="yes"/></Patient>',
      'invalid-field',
      'Patient.active',
    ],
    [
      '<Bundle xmlns="http://hl7.org/fhir"><entry><resource/></entry></Bundle>',
      'not-fhir',
      'Bundle.entry.resource',
    ],
  ])('rejects %j as %s at %s', (xml, reason, field) => {
    const error = parseError(xml);
    expect(error.reason).toBe(reason);
    expect(error.field).toBe(field);
  });

  it('never quotes the input in its errors', () => {
    const error = parseError('<Patient xmlns="http://hl7.org/fhir"><active value="9990000018"/></Patient>');
    expect(error.message).not.toContain('9990000018');
    expect(parseError('<Patient xmlns="http://hl7.org/fhir"><Whitfield/>').message).not.toContain(
      'Whitfield',
    );
  });
});
