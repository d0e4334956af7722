/**
 * Walks a FHIR JSON object against the STU3 element table: its children in definition order, each resolved to its
 * concrete type. Shared by the XML and JSON writers, so both emit definition order and both reject properties
 * the definitions do not have (a typo in a builder fails loudly instead of producing an invalid message).
 */
import { childElementsOf, isKnownResourceType, isPrimitiveType, type ResolvedElement } from './element-order';
import { FhirSerialisationError } from './errors';

export type JsonObject = Record<string, unknown>;

export interface OrderedChild {
  element: ResolvedElement;
  /** One per occurrence; a primitive occurrence may be null when it has only extras. */
  values: unknown[];
  /** A primitive's id and extensions (`_name` in JSON, type Element), aligned with `values`; empty when none. */
  extras: (JsonObject | null)[];
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The children of `node` (of FHIR type `typeKey`) in definition order. `path` names the node in errors. */
export function orderedChildren(typeKey: string, node: JsonObject, path: string): OrderedChild[] {
  const elements = childElementsOf(typeKey);
  const children = new Map<string, OrderedChild>();
  for (const [key, raw] of Object.entries(node)) {
    if (raw === undefined || (key === 'resourceType' && isKnownResourceType(typeKey))) continue;
    const isExtras = key.startsWith('_');
    const element = elements.get(isExtras ? key.slice(1) : key);
    const where = `${path}.${key}`;
    if (!element) throw new FhirSerialisationError(where, `is not an element of ${typeKey}`);
    if (isExtras && !isPrimitiveType(element.type))
      throw new FhirSerialisationError(where, 'only primitive elements carry _extras');
    const occurrences = occurrencesOf(element, raw, where);
    const child = children.get(element.jsonName) ?? { element, values: [], extras: [] };
    if (isExtras) child.extras = occurrences.map((extras) => primitiveExtras(extras, where));
    else child.values = occurrences;
    children.set(element.jsonName, child);
  }
  const ordered = [...children.values()]
    .filter((c) => c.values.length > 0 || c.extras.length > 0)
    .sort((a, b) => a.element.position - b.element.position);
  ordered.forEach((child, i) => {
    const previous = ordered[i - 1];
    if (previous && previous.element.position === child.element.position) {
      throw new FhirSerialisationError(
        `${path}.${child.element.jsonName}`,
        `only one of the choices for ${child.element.spec.name} may be present`,
      );
    }
  });
  return ordered;
}

/** Checks a primitive value as both wire formats require it and gives its text form. */
export function primitiveText(value: unknown, where: string): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new FhirSerialisationError(where, 'a primitive value must be a string, number or boolean');
  }
  const text = String(value);
  if (text === '') throw new FhirSerialisationError(where, 'FHIR values must not be empty strings');
  return text;
}

/** How errors name one occurrence of a child: `Patient.name[1]`, or `Patient.gender` for a single element. */
export function occurrencePath(child: OrderedChild, parentPath: string, index: number): string {
  const where = `${parentPath}.${child.element.jsonName}`;
  return child.element.spec.array ? `${where}[${index}]` : where;
}

/** Occurrence count of a child: the longer of its values and its extras. */
export function occurrenceCount(child: OrderedChild): number {
  return Math.max(child.values.length, child.extras.length);
}

function occurrencesOf(element: ResolvedElement, raw: unknown, where: string): unknown[] {
  if (element.spec.array !== Array.isArray(raw)) {
    throw new FhirSerialisationError(
      where,
      element.spec.array
        ? 'repeats, so it must be an array'
        : 'occurs at most once, so it must not be an array',
    );
  }
  return Array.isArray(raw) ? raw : [raw];
}

function primitiveExtras(raw: unknown, where: string): JsonObject | null {
  if (raw !== null && !isJsonObject(raw))
    throw new FhirSerialisationError(where, 'must be an object (or null in arrays)');
  return raw;
}
