/**
 * FHIR STU3 JSON objects → FHIR XML (https://hl7.org/fhir/STU3/xml.html): children in StructureDefinition order,
 * primitives as `value` attributes with their id and extensions, Element.id and Extension.url as attributes,
 * resources nested in a wrapper element named after the element (`<resource><Patient>…`), Narrative.div as
 * embedded XHTML, everything in the FHIR namespace.
 */
import { RESOURCE_TYPE, XHTML_TYPE, isPrimitiveType } from './element-order';
import { FhirSerialisationError } from './errors';
import { FHIR_NAMESPACE, XHTML_NAMESPACE } from './fhir-uris';
import type { Resource } from './fhir-stu3-types';
import {
  isJsonObject,
  occurrenceCount,
  occurrencePath,
  orderedChildren,
  primitiveText,
  type JsonObject,
  type OrderedChild,
} from './fhir-structure';
import {
  XML_DECLARATION,
  attributesOf,
  buildXml,
  elementName,
  elementNode,
  isXmlSafe,
  parseXmlTree,
  wellFormednessProblem,
  type XmlNode,
} from './xml-tree';

/** A complete XML document (declaration, two-space indentation) for one resource. */
export function toFhirXml(resource: Resource): string {
  const root = resourceNode(resource as JsonObject, resource.resourceType ?? 'resource', {
    xmlns: FHIR_NAMESPACE,
  });
  return `${buildXml([XML_DECLARATION, root], true)}\n`;
}

/** Nested resources inherit the default namespace from the root, so only the root declares it. */
function resourceNode(resource: JsonObject, path: string, attributes: Record<string, string> = {}): XmlNode {
  const type = resource.resourceType;
  if (typeof type !== 'string') throw new FhirSerialisationError(path, 'a resource needs a resourceType');
  return elementNode(type, complexContent(type, resource, path).children, attributes);
}

/** Child elements and attributes of a complex value of FHIR type `typeKey`. */
function complexContent(
  typeKey: string,
  node: JsonObject,
  path: string,
): { children: XmlNode[]; attributes: Record<string, string> } {
  const children: XmlNode[] = [];
  const attributes: Record<string, string> = {};
  for (const child of orderedChildren(typeKey, node, path)) {
    const { jsonName, type, spec } = child.element;
    const at = (i: number): string => occurrencePath(child, path, i);
    if (spec.xmlAttr) {
      attributes[jsonName] = attributeText(child.values[0], at(0));
    } else if (type === XHTML_TYPE) {
      children.push(xhtmlNode(child.values[0], at(0)));
    } else if (isPrimitiveType(type)) {
      children.push(...primitiveNodes(child, at));
    } else if (type === RESOURCE_TYPE) {
      children.push(
        ...child.values.map((r, i) => elementNode(jsonName, [resourceNode(asObject(r, at(i)), at(i))])),
      );
    } else {
      for (const [i, value] of child.values.entries()) {
        const content = complexContent(type, asObject(value, at(i)), at(i));
        children.push(elementNode(jsonName, content.children, content.attributes));
      }
    }
  }
  return { children, attributes };
}

function primitiveNodes(child: OrderedChild, at: (i: number) => string): XmlNode[] {
  return Array.from({ length: occurrenceCount(child) }, (_, i) => {
    const value = child.values[i] ?? null;
    const extras = complexContent('Element', child.extras[i] ?? {}, at(i));
    if (value !== null) extras.attributes.value = attributeText(value, at(i));
    else if (extras.children.length === 0)
      throw new FhirSerialisationError(at(i), 'has neither a value nor extensions');
    return elementNode(child.element.jsonName, extras.children, extras.attributes);
  });
}

/** The value attribute's text: what both formats accept, and only characters XML 1.0 can carry. */
function attributeText(value: unknown, where: string): string {
  const text = primitiveText(value, where);
  if (!isXmlSafe(text)) throw new FhirSerialisationError(where, 'contains characters XML 1.0 cannot carry');
  return text;
}

/** Narrative.div arrives as a string of XHTML; it is parsed and embedded as elements, not escaped as text. */
function xhtmlNode(value: unknown, where: string): XmlNode {
  if (typeof value !== 'string')
    throw new FhirSerialisationError(where, 'the narrative div must be an XHTML string');
  const problem = wellFormednessProblem(value);
  if (problem) throw new FhirSerialisationError(where, problem);
  const roots = parseXmlTree(value).filter((node) => elementName(node) !== undefined);
  const div = roots[0];
  if (
    roots.length !== 1 ||
    !div ||
    elementName(div) !== 'div' ||
    attributesOf(div).xmlns !== XHTML_NAMESPACE
  ) {
    throw new FhirSerialisationError(where, `must be one <div> element in the ${XHTML_NAMESPACE} namespace`);
  }
  return div;
}

function asObject(value: unknown, where: string): JsonObject {
  if (!isJsonObject(value)) throw new FhirSerialisationError(where, 'must be an object');
  if (Object.keys(value).length === 0)
    throw new FhirSerialisationError(where, 'FHIR elements must not be empty');
  return value;
}
