/**
 * Wire formats of ITK3 messages. XML is the default: every ITK3 receiver must accept it; JSON is an option.
 * The media types are the FHIR STU3 ones (domain-reference §9.4: MESH content type unspecified).
 */
import { fromFhirXml } from './fhir-xml-reader';
import { toFhirJson } from './fhir-json-writer';
import { toFhirXml } from './fhir-xml-writer';
import { Itk3ParseError } from './errors';
import type { Resource } from './fhir-stu3-types';
import type { JsonObject } from './fhir-structure';
import { MAX_NESTING } from './xml-tree';

export type MessageFormat = 'xml' | 'json';

export const MESSAGE_FORMATS: readonly MessageFormat[] = ['xml', 'json'];

export const FHIR_MEDIA_TYPE: Readonly<Record<MessageFormat, string>> = {
  xml: 'application/fhir+xml',
  json: 'application/fhir+json',
};

export function serialiseFhir(resource: Resource, format: MessageFormat): string {
  return format === 'xml' ? toFhirXml(resource) : toFhirJson(resource);
}

/**
 * Reads a FHIR resource from a MESH message body in either format, told apart by the first character (after any
 * byte order mark), since MESH content types are not reliable. Throws Itk3ParseError.
 */
export function readFhir(body: string | Uint8Array): Resource {
  const text = typeof body === 'string' ? body : decodeUtf8(body);
  const start = text.replace(/^\uFEFF/, '').trimStart();
  // Leading white space before the XML declaration is not well-formed, but harmless: receivers are lenient there.
  if (start.startsWith('<')) return fromFhirXml(start);
  if (start.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(start);
    } catch {
      throw new Itk3ParseError('unreadable', undefined, 'not well-formed JSON');
    }
    if (nestingDepth(parsed) > MAX_NESTING) {
      throw new Itk3ParseError('unreadable', undefined, `JSON nested more than ${MAX_NESTING} levels deep`);
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof (parsed as JsonObject).resourceType !== 'string'
    ) {
      throw new Itk3ParseError('not-fhir', 'resourceType', 'a FHIR JSON resource names its resourceType');
    }
    return parsed;
  }
  throw new Itk3ParseError('unreadable', undefined, 'neither XML nor JSON');
}

/** Depth of nested objects and arrays, counted without recursion (the input may be hostile). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING) break;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Itk3ParseError('unreadable', undefined, 'not UTF-8 text');
  }
}
