import fs from 'node:fs';
import {
  childElementsOf,
  isKnownResourceType,
  isPrimitiveType,
} from '../../../integrations/itk3/element-order';
import {
  ELEMENT_ORDER_FILE,
  defaultJarPath,
  generateElementOrderTable,
} from '../../../tooling/generate-element-order';

describe('STU3 element order table', () => {
  it('lists children in StructureDefinition order', () => {
    expect([...childElementsOf('MessageHeader').keys()].slice(0, 11)).toEqual([
      'id',
      'meta',
      'implicitRules',
      'language',
      'text',
      'contained',
      'extension',
      'modifierExtension',
      'event',
      'destination',
      'receiver',
    ]);
    const patient = childElementsOf('Patient');
    expect(patient.get('identifier')!.position).toBeLessThan(patient.get('active')!.position);
  });

  it('expands choice elements to their JSON names, sharing one position', () => {
    const extension = childElementsOf('Extension');
    expect(extension.get('valueBoolean')).toMatchObject({ type: 'boolean', position: 3 });
    expect(extension.get('valueCodeableConcept')).toMatchObject({ type: 'CodeableConcept', position: 3 });
    expect(childElementsOf('Composition.relatesTo').get('targetIdentifier')?.type).toBe('Identifier');
  });

  it('marks XML attributes, repetition, backbone elements and content references', () => {
    expect(childElementsOf('Extension').get('url')?.spec.xmlAttr).toBe(true);
    expect(childElementsOf('Coding').get('id')?.spec.xmlAttr).toBe(true);
    expect(childElementsOf('Patient').get('id')?.spec.xmlAttr).toBeUndefined();
    expect(childElementsOf('Bundle').get('entry')).toMatchObject({
      type: 'Bundle.entry',
      spec: { array: true },
    });
    expect(childElementsOf('Composition.section').get('section')?.type).toBe('Composition.section');
    expect(isPrimitiveType('base64Binary')).toBe(true);
    expect(isKnownResourceType('OperationOutcome')).toBe(true);
    expect(() => childElementsOf('Observation')).toThrow(/no element order known/);
  });

  const jar = defaultJarPath();
  // Needs the HAPI validation resources jar in the Maven cache (the FHIR validator build puts it there).
  (fs.existsSync(jar) ? it : it.skip)(
    'holds exactly what the generator makes from the STU3 definitions',
    () => {
      expect(generateElementOrderTable(jar)).toEqual(JSON.parse(fs.readFileSync(ELEMENT_ORDER_FILE, 'utf8')));
    },
  );
});
