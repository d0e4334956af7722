/**
 * FHIR STU3 XML → FHIR JSON objects, typed by the STU3 element table (which children repeat, which are
 * primitives, booleans or numbers). Namespace-aware: `<Bundle xmlns="http://hl7.org/fhir">` and
 * `<f:Bundle xmlns:f="http://hl7.org/fhir">` read the same. Lenient where FHIR allows receivers to be (element order,
 * unknown attributes), strict about what would change meaning (foreign elements, unknown elements, repeats of
 * single elements). Resource types outside the table are read as `{ resourceType }` only.
 */
import {
  RESOURCE_TYPE,
  XHTML_TYPE,
  childElementsOf,
  isKnownResourceType,
  isPrimitiveType,
  type ResolvedElement,
} from './element-order';
import { Itk3ParseError } from './errors';
import { FHIR_NAMESPACE, XHTML_NAMESPACE } from './fhir-uris';
import type { Resource } from './fhir-stu3-types';
import type { JsonObject } from './fhir-structure';
import {
  MAX_NESTING,
  attributesOf,
  buildXml,
  childNodes,
  elementName,
  elementNode,
  parseXmlTree,
  textOf,
  wellFormednessProblem,
  type XmlNode,
} from './xml-tree';

type Scope = ReadonlyMap<string, string>;

/** Reads one FHIR resource from XML text (a leading byte order mark is allowed). Throws Itk3ParseError. */
export function fromFhirXml(xml: string): Resource {
  const text = xml.replace(/^\uFEFF/, '');
  // FHIR forbids DTDs, and refusing them up front rules out entity-expansion attacks on the parser.
  if (/<!DOCTYPE/i.test(text))
    throw new Itk3ParseError('unreadable', undefined, 'DTDs are not allowed in FHIR XML');
  const problem = wellFormednessProblem(text);
  if (problem) throw new Itk3ParseError('unreadable', undefined, problem);
  const roots = parseTree(text).filter((node) => elementName(node) !== undefined);
  const root = roots[0];
  if (roots.length !== 1 || !root)
    throw new Itk3ParseError('unreadable', undefined, 'an XML document has exactly one root element');
  return readResource(root, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), '');
}

function parseTree(text: string): XmlNode[] {
  try {
    return parseXmlTree(text);
  } catch {
    // Well-formed input the parser still refuses is nested too deeply; its message is not passed on (it may quote).
    throw new Itk3ParseError('unreadable', undefined, `XML nested more than ${MAX_NESTING} levels deep`);
  }
}

function readResource(node: XmlNode, parentScope: Scope, path: string): JsonObject {
  const scope = enterScope(node, parentScope);
  const { namespace, localName } = qualifiedName(node, scope);
  const where = path ? `${path}.${localName}` : localName;
  if (namespace !== FHIR_NAMESPACE)
    throw new Itk3ParseError('not-fhir', where, `a resource must be in the ${FHIR_NAMESPACE} namespace`);
  if (!isKnownResourceType(localName)) return { resourceType: localName };
  return { resourceType: localName, ...readComplex(localName, node, scope, where) };
}

function readComplex(typeKey: string, node: XmlNode, scope: Scope, path: string): JsonObject {
  const elements = childElementsOf(typeKey);
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(attributesOf(node))) {
    // Namespace declarations and attributes of other vocabularies (xsi:schemaLocation) carry no FHIR content.
    if (elements.get(name)?.spec.xmlAttr) out[name] = value;
  }
  for (const child of childNodes(node)) {
    if (elementName(child) === undefined) {
      if (textOf(child)?.trim())
        throw new Itk3ParseError('not-fhir', path, 'FHIR elements carry values in attributes, not as text');
      continue;
    }
    const childScope = enterScope(child, scope);
    const { namespace, localName } = qualifiedName(child, childScope);
    const where = `${path}.${localName}`;
    const element = elements.get(localName);
    if (!element || element.spec.xmlAttr)
      throw new Itk3ParseError('unexpected-content', where, `is not an element of ${typeKey}`);
    const expectedNamespace = element.type === XHTML_TYPE ? XHTML_NAMESPACE : FHIR_NAMESPACE;
    if (namespace !== expectedNamespace)
      throw new Itk3ParseError('not-fhir', where, `must be in the ${expectedNamespace} namespace`);
    addOccurrence(out, element, readValue(element, child, childScope, where), where);
  }
  return dropEmptyPrimitiveColumns(out);
}

interface Occurrence {
  value: unknown;
  /** A primitive's id and extensions, when it has any. */
  extras?: JsonObject;
}

function readValue(element: ResolvedElement, node: XmlNode, scope: Scope, where: string): Occurrence {
  const { type } = element;
  if (type === RESOURCE_TYPE) {
    const inner = childNodes(node).filter((n) => elementName(n) !== undefined);
    const resource = inner[0];
    if (inner.length !== 1 || !resource)
      throw new Itk3ParseError('not-fhir', where, 'must contain exactly one resource');
    return { value: readResource(resource, scope, where) };
  }
  if (type === XHTML_TYPE) return { value: xhtmlText(node) };
  if (isPrimitiveType(type)) {
    const raw = attributesOf(node).value;
    const extras = readComplex('Element', node, scope, where);
    return {
      value: raw === undefined ? null : primitiveValue(type, raw, where),
      extras: Object.keys(extras).length > 0 ? extras : undefined,
    };
  }
  return { value: readComplex(type, node, scope, where) };
}

/** JSON carries booleans and numbers natively; everything else stays a string. */
function primitiveValue(type: string, raw: string, where: string): unknown {
  switch (type) {
    case 'boolean':
      if (raw !== 'true' && raw !== 'false')
        throw new Itk3ParseError('invalid-field', where, 'must be true or false');
      return raw === 'true';
    case 'integer':
    case 'positiveInt':
    case 'unsignedInt':
      if (!/^[+-]?\d+$/.test(raw)) throw new Itk3ParseError('invalid-field', where, 'must be an integer');
      return Number(raw);
    case 'decimal':
      if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw))
        throw new Itk3ParseError('invalid-field', where, 'must be a decimal');
      return Number(raw);
    default:
      return raw;
  }
}

/** Repeating primitives keep values and extras in two index-aligned arrays (`given` and `_given`), as FHIR JSON does. */
function addOccurrence(
  out: JsonObject,
  element: ResolvedElement,
  occurrence: Occurrence,
  where: string,
): void {
  const name = element.jsonName;
  const primitive = isPrimitiveType(element.type);
  if (!element.spec.array) {
    if (name in out || `_${name}` in out)
      throw new Itk3ParseError('unexpected-content', where, 'occurs more than once');
    if (occurrence.value !== null) out[name] = occurrence.value;
    if (occurrence.extras) out[`_${name}`] = occurrence.extras;
    return;
  }
  const values = (out[name] ??= []) as unknown[];
  values.push(occurrence.value);
  if (primitive) ((out[`_${name}`] ??= []) as unknown[]).push(occurrence.extras ?? null);
}

/** Removes `_name` columns without any extras, and `name` columns that only held nulls. */
function dropEmptyPrimitiveColumns(out: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(out)) {
    if (Array.isArray(value) && value.length > 0 && value.every((v) => v === null)) delete out[key];
  }
  return out;
}

/**
 * The narrative as the XHTML string FHIR JSON carries. Whitespace-only text with a line break is indentation from
 * pretty-printing (ours included) and is dropped, so a div reads back exactly as it was written.
 */
function xhtmlText(node: XmlNode): string {
  const name = elementName(node) ?? 'div';
  const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : '';
  // Declare the XHTML namespace on the div itself, so the string stands alone wherever it was declared.
  const attributes = { ...attributesOf(node), [prefix ? `xmlns:${prefix}` : 'xmlns']: XHTML_NAMESPACE };
  return buildXml([elementNode(name, withoutIndentation(childNodes(node)), attributes)], false);
}

function withoutIndentation(nodes: XmlNode[]): XmlNode[] {
  return nodes.flatMap((node) => {
    const name = elementName(node);
    if (name === undefined) return /^\s*\n\s*$/.test(textOf(node) ?? '') ? [] : [node];
    return [elementNode(name, withoutIndentation(childNodes(node)), attributesOf(node))];
  });
}

function enterScope(node: XmlNode, parent: Scope): Scope {
  const declarations = Object.entries(attributesOf(node)).filter(
    ([name]) => name === 'xmlns' || name.startsWith('xmlns:'),
  );
  if (declarations.length === 0) return parent;
  const scope = new Map(parent);
  for (const [name, uri] of declarations) scope.set(name === 'xmlns' ? '' : name.slice('xmlns:'.length), uri);
  return scope;
}

function qualifiedName(node: XmlNode, scope: Scope): { namespace: string | undefined; localName: string } {
  const name = elementName(node) ?? '';
  const colon = name.indexOf(':');
  return colon < 0
    ? { namespace: scope.get(''), localName: name }
    : { namespace: scope.get(name.slice(0, colon)), localName: name.slice(colon + 1) };
}
