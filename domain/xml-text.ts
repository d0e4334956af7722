/**
 * Text XML 1.0 can carry. Every string of a consultation snapshot ends up in FHIR XML (ITK3), and XML 1.0 has no way
 * at all, not even a character reference, to carry a C0 control other than tab, LF and CR, U+FFFE, U+FFFF or a lone
 * surrogate (XML 1.0 §2.2 Char). Refusing them at the door is the only place the sender can still fix them.
 */

/** With the `u` flag a surrogate range matches lone surrogates only: a well-formed pair is one code point. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u;

/** The first character of `text` XML 1.0 cannot carry, as `U+000B`, or undefined when there is none. */
export function characterXmlCannotCarry(text: string): string | undefined {
  const found = NOT_XML_CHAR.exec(text)?.[0].codePointAt(0);
  return found === undefined ? undefined : `U+${found.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A string XML cannot carry: where it is in the value and the first offending character (never the text). */
export interface TextXmlCannotCarry {
  path: (string | number)[];
  character: string;
}

export interface TextSearchBounds {
  /** Deeper than any contract goes; a body nested further is refused by the schema anyway. */
  maxDepth?: number;
  /** Enough to show the sender the pattern without answering a flood with a flood. */
  maxFinds?: number;
}

/** Every string in a JSON value (object members and array items, at any depth up to the bound) XML cannot carry. */
export function textXmlCannotCarry(
  value: unknown,
  { maxDepth = 16, maxFinds = 100 }: TextSearchBounds = {},
): TextXmlCannotCarry[] {
  const finds: TextXmlCannotCarry[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (finds.length >= maxFinds) return;
    if (typeof node === 'string') {
      const character = characterXmlCannotCarry(node);
      if (character) finds.push({ path, character });
      return;
    }
    if (path.length >= maxDepth || typeof node !== 'object' || node === null) return;
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((item, index) => [index, item])
      : Object.entries(node);
    for (const [key, child] of entries) visit(child, [...path, key]);
  };
  visit(value, []);
  return finds;
}
