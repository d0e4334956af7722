import { FhirSerialisationError } from '../../../integrations/itk3/errors';
import type { Resource } from '../../../integrations/itk3/fhir-stu3-types';
import { toFhirXml } from '../../../integrations/itk3/fhir-xml-writer';

const xml = (resource: unknown): string => toFhirXml(resource as Resource);

function serialisationError(resource: unknown): FhirSerialisationError {
  try {
    xml(resource);
  } catch (error) {
    if (error instanceof FhirSerialisationError) return error;
    throw error;
  }
  throw new Error('expected a FhirSerialisationError');
}

describe('FHIR XML writer', () => {
  it('writes children in definition order whatever the order of the JSON properties', () => {
    const out = xml({
      birthDate: '1958-03-14',
      gender: 'female',
      name: [{ prefix: ['Mrs'], given: ['Eleanor'], family: 'Whitfield', use: 'official' }],
      identifier: [{ value: '9990000018', system: 'https://fhir.nhs.uk/Id/nhs-number' }],
      id: 'p1',
      resourceType: 'Patient',
    });
    expect(out).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Patient xmlns="http://hl7.org/fhir">',
        '  <id value="p1"/>',
        '  <identifier>',
        '    <system value="https://fhir.nhs.uk/Id/nhs-number"/>',
        '    <value value="9990000018"/>',
        '  </identifier>',
        '  <name>',
        '    <use value="official"/>',
        '    <family value="Whitfield"/>',
        '    <given value="Eleanor"/>',
        '    <prefix value="Mrs"/>',
        '  </name>',
        '  <gender value="female"/>',
        '  <birthDate value="1958-03-14"/>',
        '</Patient>',
        '',
      ].join('\n'),
    );
  });

  it('writes Element.id and Extension.url as attributes, Resource.id as an element', () => {
    const out = xml({
      resourceType: 'Organization',
      id: 'o1',
      extension: [{ url: 'https://example.org/ext', valueBoolean: true }],
      identifier: [{ id: 'i1', value: 'Y90001' }],
    });
    expect(out).toContain('<id value="o1"/>');
    expect(out).toContain('<extension url="https://example.org/ext">\n    <valueBoolean value="true"/>');
    expect(out).toContain('<identifier id="i1">');
  });

  it('writes a primitive id and extensions from _name, and a value-less primitive that has only extensions', () => {
    const out = xml({
      resourceType: 'Patient',
      birthDate: '1958-03-14',
      _birthDate: {
        id: 'b1',
        extension: [{ url: 'https://example.org/time', valueDateTime: '1958-03-14T06:00:00Z' }],
      },
      name: [
        {
          given: ['A', null],
          _given: [null, { extension: [{ url: 'https://example.org/x', valueString: 'y' }] }],
        },
      ],
    });
    expect(out).toContain(
      '<birthDate id="b1" value="1958-03-14">\n    <extension url="https://example.org/time">',
    );
    expect(out).toContain('<given value="A"/>\n    <given>\n      <extension url="https://example.org/x">');
  });

  it('escapes markup and keeps tabs and line breaks in attribute values', () => {
    const out = xml({ resourceType: 'Organization', name: `O'Brien & <Sons> "Ltd"\n\tWest\r` });
    expect(out).toContain(
      '<name value="O&apos;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;&#xA;&#x9;West&#xD;"/>',
    );
  });

  it('nests resources in their wrapper element and declares the namespace only on the root', () => {
    const out = xml({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Binary', contentType: 'text/plain', content: 'eA==' } }],
    });
    expect(out).toContain(
      '<entry>\n    <resource>\n      <Binary>\n        <contentType value="text/plain"/>',
    );
    expect(out.match(/xmlns=/g)).toHaveLength(1);
  });

  it('embeds the narrative as XHTML', () => {
    const out = xml({
      resourceType: 'Composition',
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>a &amp; b &lt; c</p></div>',
      },
    });
    expect(out).toContain(
      '<div xmlns="http://www.w3.org/1999/xhtml">\n      <p>a &amp; b &lt; c</p>\n    </div>',
    );
  });

  it.each([
    [{ resourceType: 'Patient', nickname: 'x' }, 'Patient.nickname', 'is not an element of Patient'],
    [{ resourceType: 'Patient', name: { family: 'x' } }, 'Patient.name', 'repeats'],
    [{ resourceType: 'Patient', gender: ['female'] }, 'Patient.gender', 'occurs at most once'],
    [{ resourceType: 'Patient', gender: '' }, 'Patient.gender', 'must not be empty'],
    [{ resourceType: 'Patient', gender: 'a\u0001' }, 'Patient.gender', 'XML 1.0 cannot carry'],
    [{ resourceType: 'Patient', gender: 'a\uD800b' }, 'Patient.gender', 'XML 1.0 cannot carry'],
    [{ resourceType: 'Patient', gender: { code: 'x' } }, 'Patient.gender', 'string, number or boolean'],
    [{ resourceType: 'Patient', meta: {} }, 'Patient.meta', 'must not be empty'],
    [
      { resourceType: 'Patient', deceasedBoolean: true, deceasedDateTime: '2020' },
      'Patient.deceasedDateTime',
      'only one of the choices',
    ],
    [{ resourceType: 'Patient', _name: {} }, 'Patient._name', 'only primitive elements'],
    [
      { resourceType: 'Patient', text: { status: 'generated', div: '<p>x</p>' } },
      'Patient.text.div',
      'one <div> element',
    ],
    [
      {
        resourceType: 'Patient',
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>' },
      },
      'Patient.text.div',
      'not well-formed',
    ],
    [
      { resourceType: 'Bundle', entry: [{ resource: { id: 'x' } }] },
      'Bundle.entry[0].resource',
      'needs a resourceType',
    ],
    [{ id: 'x' }, 'resource', 'needs a resourceType'],
  ])('rejects %j naming the element', (resource, path, reason) => {
    const error = serialisationError(resource);
    expect(error.path).toBe(path);
    expect(error.message).toContain(reason);
  });

  it('never quotes the rejected value', () => {
    expect(serialisationError({ resourceType: 'Patient', gender: '9990000018\u0001' }).message).not.toContain(
      '9990000018',
    );
  });
});
