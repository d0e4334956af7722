/**
 * FHIR STU3 JSON with properties in StructureDefinition order (resourceType first, `_name` right after `name`).
 * FHIR JSON readers do not need the order; it makes the JSON option diff cleanly against the XML and byte-stable
 * across retries, and it rejects the same malformed input as the XML writer.
 */
import { RESOURCE_TYPE, XHTML_TYPE, isPrimitiveType } from './element-order';
import { FhirSerialisationError } from './errors';
import type { Resource } from './fhir-stu3-types';
import {
  isJsonObject,
  occurrencePath,
  orderedChildren,
  primitiveText,
  type JsonObject,
} from './fhir-structure';

/** Two-space indented JSON document for one resource. */
export function toFhirJson(resource: Resource): string {
  return `${JSON.stringify(orderedResource(resource as JsonObject, resource.resourceType ?? 'resource'), null, 2)}\n`;
}

function orderedResource(resource: JsonObject, path: string): JsonObject {
  const type = resource.resourceType;
  if (typeof type !== 'string') throw new FhirSerialisationError(path, 'a resource needs a resourceType');
  return { resourceType: type, ...orderedComplex(type, resource, path) };
}

function orderedComplex(typeKey: string, node: JsonObject, path: string): JsonObject {
  const ordered: JsonObject = {};
  for (const child of orderedChildren(typeKey, node, path)) {
    const { jsonName, type, spec } = child.element;
    const at = (i: number): string => occurrencePath(child, path, i);
    const convert = (value: unknown, i: number): unknown => {
      if (type === XHTML_TYPE) return value;
      if (isPrimitiveType(type)) {
        if (value !== null) primitiveText(value, at(i));
        return value;
      }
      if (!isJsonObject(value)) throw new FhirSerialisationError(at(i), 'must be an object');
      return type === RESOURCE_TYPE ? orderedResource(value, at(i)) : orderedComplex(type, value, at(i));
    };
    const values = child.values.map(convert);
    const extras = child.extras.map((e, i) => (e === null ? null : orderedComplex('Element', e, at(i))));
    if (values.length > 0) ordered[jsonName] = spec.array ? values : values[0];
    if (extras.length > 0) ordered[`_${jsonName}`] = spec.array ? extras : extras[0];
  }
  return ordered;
}
