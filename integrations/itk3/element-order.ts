/**
 * Typed access to stu3-element-order.json (generated from the STU3 StructureDefinitions by
 * generate-element-order.ts): which child elements a resource, data type or backbone element has, in the order FHIR
 * XML requires, and what type each child is.
 */
import table from './stu3-element-order.json';

/** One child element: `name` as in the definition (`value[x]` for choices), the candidate types, repetition, XML form. */
export interface ElementSpec {
  name: string;
  /** Type names; for backbone elements the defining path (`Bundle.entry`), which is also their key in `elements`. */
  types: string[];
  array: boolean;
  /** Serialised as an XML attribute (Element.id, Extension.url) instead of a child element. */
  xmlAttr?: true;
}

export interface ElementOrderTable {
  generatedBy: string;
  source: string;
  primitiveTypes: string[];
  resourceTypes: string[];
  elements: Record<string, ElementSpec[]>;
}

/** A child element resolved to the name it has in JSON and XML (`valueCoding`) and its one concrete type. */
export interface ResolvedElement {
  spec: ElementSpec;
  /** Position in definition order; choice alternatives share one. */
  position: number;
  jsonName: string;
  type: string;
}

const ORDER = table as ElementOrderTable;
const PRIMITIVES = new Set(ORDER.primitiveTypes);
const RESOURCES = new Set(ORDER.resourceTypes);

/** The type of Narrative.div: written as an embedded XHTML element, not as a FHIR primitive. */
export const XHTML_TYPE = 'xhtml';
/** The type of resources nested in elements (Bundle.entry.resource, contained). */
export const RESOURCE_TYPE = 'Resource';

export const isPrimitiveType = (type: string): boolean => PRIMITIVES.has(type);
export const isKnownResourceType = (type: string): boolean => RESOURCES.has(type);

const resolvedCache = new Map<string, Map<string, ResolvedElement>>();

/** Children of a type keyed by JSON name; choice elements contribute one entry per type (`valueString`, ...). */
export function childElementsOf(typeKey: string): Map<string, ResolvedElement> {
  const cached = resolvedCache.get(typeKey);
  if (cached) return cached;
  const specs = ORDER.elements[typeKey];
  if (!specs) throw new RangeError(`no element order known for FHIR type ${typeKey}`);
  const resolved = new Map<string, ResolvedElement>();
  specs.forEach((spec, position) => {
    const alternatives = spec.name.endsWith('[x]')
      ? spec.types.map(
          (type) =>
            [`${spec.name.slice(0, -3)}${type.charAt(0).toUpperCase()}${type.slice(1)}`, type] as const,
        )
      : [[spec.name, spec.types[0] ?? ''] as const];
    for (const [jsonName, type] of alternatives) resolved.set(jsonName, { spec, position, jsonName, type });
  });
  resolvedCache.set(typeKey, resolved);
  return resolved;
}
