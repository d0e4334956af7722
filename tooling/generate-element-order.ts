/**
 * Generates stu3-element-order.json: the child elements of every FHIR STU3 resource and data type the ITK3 messages
 * use, in StructureDefinition order, with their types, cardinality and XML representation. FHIR XML is only valid
 * with children in definition order, so the serialiser and the XML reader take the order from this table instead
 * of hand-written lists.
 *
 * Source: the base STU3 StructureDefinitions (FHIR 3.0.2) inside HAPI's validation resources jar, which the FHIR
 * validator build puts into the Maven cache. The output is committed; runtime never needs the jar.
 *
 *   npx tsx activities/itk3/generate-element-order.ts [--jar FILE]
 *
 * If the jar is missing: mvn -B -q dependency:get -Dartifact=ca.uhn.hapi.fhir:hapi-fhir-validation-resources-dstu3:<version>
 * To support another resource type, add it to ROOT_RESOURCE_TYPES and run the script again.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { TOOL_VERSIONS } from './versions';
import type { ElementOrderTable, ElementSpec } from '../integrations/itk3/element-order';

/**
 * Resources the Send Document message and ITK3 responses contain, including the Task and DocumentReference of the
 * v1.2.x payload the receiver accepts; data types are added by following element types.
 */
const ROOT_RESOURCE_TYPES = [
  'Bundle',
  'MessageHeader',
  'Organization',
  'Practitioner',
  'Patient',
  'Composition',
  'Binary',
  'OperationOutcome',
  'Task',
  'DocumentReference',
];

const PROFILE_ENTRIES = [
  'org/hl7/fhir/dstu3/model/profile/profiles-types.xml',
  'org/hl7/fhir/dstu3/model/profile/profiles-resources.xml',
];
export const ELEMENT_ORDER_FILE = path.join(__dirname, '..', 'integrations', 'itk3', 'stu3-element-order.json');

interface RawElement {
  path: string;
  max: string;
  typeCodes: string[];
  contentReference?: string;
  xmlAttr: boolean;
}

interface RawDefinition {
  name: string;
  kind: string;
  elements: RawElement[];
}

/** Where Maven puts the jar for the pinned HAPI version. */
export function defaultJarPath(): string {
  const version = TOOL_VERSIONS.hapiFhir;
  const artifact = `hapi-fhir-validation-resources-dstu3-${version}.jar`;
  return path.join(
    os.homedir(),
    '.m2',
    'repository',
    'ca',
    'uhn',
    'hapi',
    'fhir',
    'hapi-fhir-validation-resources-dstu3',
    version,
    artifact,
  );
}

function readJarEntry(jar: string, entry: string): string {
  // `unzip -p` streams one entry to stdout; Node has no zip reader and this runs on engineers' machines only.
  return execFileSync('unzip', ['-p', jar, entry], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, jpath) =>
    /(^Bundle\.entry|snapshot\.element|snapshot\.element\.(type|representation))$/.test(String(jpath)),
});

type XmlNode = Record<string, unknown>;
const attr = (node: unknown, name = 'value'): string | undefined =>
  node && typeof node === 'object' ? ((node as XmlNode)[`@${name}`] as string | undefined) : undefined;

function definitionsIn(xml: string): RawDefinition[] {
  const bundle = (
    parser.parse(xml) as { Bundle: { entry: { resource: { StructureDefinition?: XmlNode } }[] } }
  ).Bundle;
  return bundle.entry.flatMap(({ resource }) => {
    const sd = resource.StructureDefinition;
    // Constraint profiles (SimpleQuantity, Age, ...) reuse their base type's elements; only base definitions count.
    if (!sd || attr(sd.derivation) === 'constraint') return [];
    const snapshot = sd.snapshot as { element: XmlNode[] };
    return [
      {
        name: attr(sd.type) ?? '',
        kind: attr(sd.kind) ?? '',
        elements: snapshot.element.map((e) => ({
          path: attr(e.path) ?? '',
          max: attr(e.max) ?? '1',
          typeCodes: ((e.type as XmlNode[] | undefined) ?? []).map((t) => attr(t.code) ?? ''),
          contentReference: attr(e.contentReference)?.replace(/^#/, ''),
          xmlAttr: ((e.representation as XmlNode[] | undefined) ?? []).some((r) => attr(r) === 'xmlAttr'),
        })),
      },
    ];
  });
}

/** Inline (backbone) elements are keyed by their path; everything else by its type name. */
function isInline(element: RawElement): boolean {
  return (
    element.typeCodes.length === 1 && ['BackboneElement', 'Element'].includes(element.typeCodes[0] ?? '')
  );
}

function buildTable(definitions: RawDefinition[], fhirVersion: string): ElementOrderTable {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const primitiveTypes = definitions
    .filter((d) => d.kind === 'primitive-type')
    .map((d) => d.name)
    .sort();
  const elements: Record<string, ElementSpec[]> = {};
  // Element describes what a primitive value carries besides its value (`_name` in JSON): id and extensions.
  const pending = [...ROOT_RESOURCE_TYPES, 'Element'];
  const seen = new Set<string>();

  while (pending.length > 0) {
    const typeName = pending.shift() as string;
    if (seen.has(typeName)) continue;
    seen.add(typeName);
    const definition = byName.get(typeName);
    if (!definition) throw new Error(`no StructureDefinition for ${typeName}`);
    for (const element of definition.elements.slice(1)) {
      const parentPath = element.path.slice(0, element.path.lastIndexOf('.'));
      const name = element.path.slice(element.path.lastIndexOf('.') + 1);
      // STU3 repeats a type once per target profile (Reference(Practitioner) | Reference(Organization)): keep one.
      const types = element.contentReference
        ? [element.contentReference]
        : isInline(element)
          ? [element.path]
          : [...new Set(element.typeCodes)];
      const spec: ElementSpec = { name, types, array: element.max !== '1' && element.max !== '0' };
      if (element.xmlAttr) spec.xmlAttr = true;
      (elements[parentPath] ??= []).push(spec);
      for (const type of element.typeCodes) {
        const isDataType = byName.get(type)?.kind === 'complex-type';
        if (isDataType && !['Element', 'BackboneElement'].includes(type)) pending.push(type);
      }
    }
  }
  return {
    generatedBy: 'tooling/generate-element-order.ts',
    source: `FHIR ${fhirVersion} base StructureDefinitions from ca.uhn.hapi.fhir:hapi-fhir-validation-resources-dstu3:${TOOL_VERSIONS.hapiFhir}`,
    primitiveTypes,
    resourceTypes: [...ROOT_RESOURCE_TYPES].sort(),
    elements: Object.fromEntries(Object.entries(elements).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The table generated from a jar: what the committed stu3-element-order.json must hold. */
export function generateElementOrderTable(jar: string): ElementOrderTable {
  const xml = PROFILE_ENTRIES.map((entry) => readJarEntry(jar, entry));
  const fhirVersion = /<fhirVersion value="([^"]+)"/.exec(xml[0] ?? '')?.[1] ?? 'unknown';
  return buildTable(xml.flatMap(definitionsIn), fhirVersion);
}

async function main(): Promise<void> {
  const jarFlag = process.argv.indexOf('--jar');
  const jar = jarFlag >= 0 ? (process.argv[jarFlag + 1] ?? '') : defaultJarPath();
  if (!fs.existsSync(jar)) {
    throw new Error(
      `STU3 definitions jar not found: ${jar}\nFetch it with: mvn -B -q dependency:get -Dartifact=ca.uhn.hapi.fhir:hapi-fhir-validation-resources-dstu3:${TOOL_VERSIONS.hapiFhir}`,
    );
  }
  // Formatted with the project's Prettier settings, so `npm run format` leaves the generated file alone.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(ELEMENT_ORDER_FILE)) ?? {};
  const text = await prettier.format(JSON.stringify(generateElementOrderTable(jar)), {
    ...options,
    filepath: ELEMENT_ORDER_FILE,
  });
  fs.writeFileSync(ELEMENT_ORDER_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), ELEMENT_ORDER_FILE)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
