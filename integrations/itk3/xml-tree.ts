/**
 * The ordered XML tree of fast-xml-parser (`preserveOrder`), shared by the FHIR XML writer and reader: one node per
 * element, `{ [name]: children, ':@': { '@attr': value } }`, text as `{ '#text': value }`. Writer and reader use the
 * same library and tree, so an XHTML narrative moves between JSON (a string) and XML without hand-written escaping.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { characterXmlCannotCarry } from '../../domain/xml-text';

export type XmlNode = Record<string, unknown>;

const ATTRIBUTES = ':@';
const TEXT = '#text';
const ATTRIBUTE_PREFIX = '@';

/**
 * Deepest element nesting read. FHIR messages nest about 15 levels (message → document → Composition → section);
 * the bound keeps hostile input from exhausting the stack. JSON input is held to the same depth.
 */
export const MAX_NESTING = 100;

const parser = new XMLParser({
  maxNestedTags: MAX_NESTING,
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  // Keep every value a string exactly as written: FHIR types are decided by the definitions, not by the parser.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Decodes numeric character references (&#x27;) as well as the five XML entities; DTDs are refused before parsing.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/**
 * XML 1.0 attribute-value normalisation turns raw tabs and line breaks into spaces, so they are written as character
 * references. Quotes are escaped by the builder itself.
 */
const escapeAttributeValue = (text: string): string =>
  escapeText(text).replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');

const builder = (format: boolean): XMLBuilder =>
  new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
    format,
    indentBy: '  ',
    // Escaping is done by the two processors below (the built-in one cannot write character references).
    processEntities: false,
    tagValueProcessor: (_name, value) => escapeText(String(value)),
    attributeValueProcessor: (_name, value) => escapeAttributeValue(String(value)),
  });
const prettyBuilder = builder(true);
const compactBuilder = builder(false);

/** Whether XML 1.0 can carry `text` at all (one rule with the snapshot contract: domain/xml-text.ts). */
export function isXmlSafe(text: string): boolean {
  return characterXmlCannotCarry(text) === undefined;
}

export function elementNode(
  name: string,
  children: XmlNode[],
  attributes: Record<string, string> = {},
): XmlNode {
  const node: XmlNode = { [name]: children };
  const entries = Object.entries(attributes);
  if (entries.length > 0)
    node[ATTRIBUTES] = Object.fromEntries(entries.map(([k, v]) => [`${ATTRIBUTE_PREFIX}${k}`, v]));
  return node;
}

/** The element name (with any prefix) of a node, or undefined for text, comments and declarations. */
export function elementName(node: XmlNode): string | undefined {
  const name = Object.keys(node).find((key) => key !== ATTRIBUTES);
  return name === undefined || name === TEXT || name.startsWith('?') ? undefined : name;
}

export function childNodes(node: XmlNode): XmlNode[] {
  const name = elementName(node);
  return name === undefined ? [] : ((node[name] as XmlNode[] | undefined) ?? []);
}

export function attributesOf(node: XmlNode): Record<string, string> {
  const raw = (node[ATTRIBUTES] as Record<string, string> | undefined) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.slice(ATTRIBUTE_PREFIX.length), v]));
}

export function textOf(node: XmlNode): string | undefined {
  return typeof node[TEXT] === 'string' ? node[TEXT] : undefined;
}

/** Where the input is not well-formed XML, or null when it is. Positions only: the text may be patient data. */
export function wellFormednessProblem(xml: string): string | null {
  const result = XMLValidator.validate(xml);
  return result === true
    ? null
    : `not well-formed XML (${result.err.code} at line ${result.err.line}, column ${result.err.col})`;
}

/** Parses well-formed XML (check with wellFormednessProblem first) into the ordered tree. */
export function parseXmlTree(xml: string): XmlNode[] {
  return parser.parse(xml) as XmlNode[];
}

/** Serialises nodes; `pretty` indents by two spaces per level. */
export function buildXml(nodes: XmlNode[], pretty: boolean): string {
  return (pretty ? prettyBuilder : compactBuilder).build(nodes);
}

export const XML_DECLARATION: XmlNode = {
  '?xml': [{ [TEXT]: '' }],
  [ATTRIBUTES]: { '@version': '1.0', '@encoding': 'UTF-8' },
};
