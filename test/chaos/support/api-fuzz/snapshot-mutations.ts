/**
 * Field-by-field mutations of a valid snapshot: every object, array, element and leaf of the example may be deleted,
 * nulled, given a wrong type, a boundary-length or hostile string, an unknown sibling key, or a value shaped like
 * its kind but wrong (NHS numbers, dates, date-times, GUIDs, integers, ODS codes, enumerations, flags).
 */
import {
  canary,
  exampleSnapshot,
  jsonBody,
  postCase,
  targetEncounter,
  type CaseContext,
  type FuzzCase,
  type Json,
  type JsonObject,
} from './fuzz-case';

type FieldPath = (string | number)[];

/** A mutated value, or DELETE to remove the field (or the array element). */
const DELETE = Symbol('delete');

interface Mutation {
  /** e.g. `wrong-type/array`: names the change, never the value. */
  variant: string;
  value: Json | typeof DELETE;
  /** No field of the contract allows this change, so the snapshot must be rejected whatever the field. */
  alwaysInvalid: boolean;
  canaries?: string[];
}

type Mutator = (ctx: CaseContext, current: Json, path: FieldPath) => Mutation | undefined;

/** Lengths either side of every limit the contract sets (35, 50, 64, 100, 200, 500, 2000, 10000) and of short codes. */
const BOUNDARY_LENGTHS = [
  0, 1, 2, 3, 5, 6, 9, 10, 11, 12, 13, 20, 21, 35, 36, 50, 51, 64, 65, 100, 101, 200, 201, 500, 501, 2000,
  2001, 10_000, 10_001,
];
/** Fillers: ASCII, a letter that is two UTF-8 bytes, an astral character (two UTF-16 units), white space, NUL. */
const FILLERS = ['a', 'Z', '9', ' ', 'é', '😀', '\u0000', '-'];

/** Strings that have broken parsers, loggers, templates or terminals somewhere; each gets a canary appended. */
const HOSTILE_STRINGS: readonly [string, string][] = [
  ['nul', 'a\u0000b'],
  ['terminal-escapes', '\u0007\u0008\u001b[2J\u001b[31m'],
  ['crlf-header', '\r\nX-Injected: 1\r\n\r\n'],
  ['line-separators', '\u2028\u2029\u0085'],
  ['bidi-override', '\u202egnp.exe'],
  ['zero-width', '\u200b\u200c\u200d\u2060'],
  ['byte-order-mark', '\ufeff'],
  ['lone-high-surrogate', '\ud800'],
  ['reversed-surrogates', '\udfff\ud800'],
  ['combining-marks', 'e\u0301\u0301\u0301\u0301\u0301'],
  ['full-width-digits', '\uff19\uff19\uff19\uff10\uff10\uff10\uff10\uff10\uff11\uff18'],
  ['arabic-indic-digits', '\u0669\u0669\u0669\u0660\u0660\u0660\u0660\u0660\u0661\u0668'],
  ['html', '<script>alert(1)</script><img src=x onerror=alert(1)>'],
  ['sql', "' OR '1'='1'; DROP TABLE encounters; --"],
  ['path-traversal', '../../../../etc/passwd'],
  ['format-string', '%s%s%s%n%x'],
  ['template', '${7*7}{{7*7}}#{7*7}'],
  ['lookup', '${jndi:ldap://127.0.0.1/a}'],
  ['key-names', '__proto__'],
  ['json-fragment', '","revision":99,"x":"'],
  ['backslashes', '\\\\\\'],
  ['numeric-text', '1e309'],
  ['emoji', '👩‍⚕️🏥🩺'],
];

const ENUM_FIELDS: Record<string, string[]> = {
  gender: ['Female', 'F', 'unknown', 'male ', 'femal'],
  registrationType: ['t', 'TT', 'R', 'X', 'IN '],
};

/** Values of a different JSON type than the current one. */
function wrongTypes(ctx: CaseContext, current: Json): [string, Json][] {
  const text = canary(ctx);
  const all: [string, Json][] = [
    ['string', text],
    ['integer', 7],
    ['fraction', 1.5],
    ['negative', -1],
    ['huge-number', 1e308],
    ['boolean', true],
    ['empty-array', []],
    ['array', [text]],
    ['empty-object', {}],
    ['object', { [text]: text }],
  ];
  return all.filter(([, value]) => jsonType(value) !== jsonType(current));
}

const jsonType = (value: Json): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const MUTATORS: readonly (readonly [string, Mutator, number])[] = [
  ['delete', () => ({ variant: 'delete', value: DELETE, alwaysInvalid: false }), 3],
  ['null', () => ({ variant: 'null', value: null, alwaysInvalid: true }), 2],
  [
    'wrong-type',
    (ctx, current) => {
      const [name, value] = ctx.prng.pick(wrongTypes(ctx, current));
      return { variant: `wrong-type/${name}`, value, alwaysInvalid: true, canaries: canariesIn(value) };
    },
    3,
  ],
  [
    'boundary-string',
    (ctx) => {
      const length = ctx.prng.pick(BOUNDARY_LENGTHS);
      const filler = ctx.prng.pick(FILLERS);
      const value = filler.repeat(length);
      // Empty or white space only: every string field of the contract needs at least one visible character.
      const blank = value.trim() === '';
      return { variant: `boundary-string/${length}x${fillerName(filler)}`, value, alwaysInvalid: blank };
    },
    4,
  ],
  [
    'hostile-string',
    (ctx) => {
      const [name, text] = ctx.prng.pick(HOSTILE_STRINGS);
      const marker = canary(ctx);
      return {
        variant: `hostile-string/${name}`,
        value: `${text}${marker}`,
        alwaysInvalid: false,
        canaries: [marker],
      };
    },
    4,
  ],
  ['shaped', shapedValue, 6],
];

const fillerName = (filler: string): string => `U+${filler.codePointAt(0)!.toString(16).padStart(4, '0')}`;

const canariesIn = (value: Json): string[] => JSON.stringify(value).match(/zq[a-z]{10}/g) ?? [];

/** A value shaped like the field's kind but wrong (or, for some variants, right in an unusual spelling). */
function shapedValue(ctx: CaseContext, current: Json, path: FieldPath): Mutation | undefined {
  const key = String(path[path.length - 1]);
  const { prng } = ctx;
  const pickFrom = (kind: string, options: readonly [string, Json][]): Mutation => {
    const [variant, value] = prng.pick(options);
    return { variant: `${kind}/${variant}`, value, alwaysInvalid: false };
  };
  if (key === 'nhsNumber' && typeof current === 'string')
    return pickFrom('nhs-number', nhsNumberVariants(ctx, current));
  if (key === 'encounterId' && typeof current === 'string') {
    return pickFrom('guid', [
      ['other-guid', prng.uuid()],
      ['upper-case', current.toUpperCase()],
      ['no-hyphens', current.replace(/-/g, '')],
      ['braced', `{${current}}`],
      ['nil', '00000000-0000-0000-0000-000000000000'],
      ['suffixed', `${current}0`],
      ['truncated', current.slice(0, 35)],
      ['not-hex', current.replace(/[a-f]/, 'g')],
    ]);
  }
  if (key === 'revision') {
    return pickFrom('integer', [
      ['zero', 0],
      ['negative', -1],
      ['fraction', 1.5],
      ['max-safe', Number.MAX_SAFE_INTEGER],
      ['beyond-safe', 2 ** 60],
      ['int32-overflow', 2 ** 31],
      ['higher', 7],
    ]);
  }
  if (key === 'odsCode') {
    return pickFrom('ods', [
      ['lower-case', 'y90001'],
      ['too-short', 'Y9'],
      ['too-long', 'Y900010000X'],
      ['inner-space', 'Y90 001'],
      ['punctuation', 'Y90-01'],
      ['other-practice', 'A81001'],
    ]);
  }
  if (key in ENUM_FIELDS)
    return pickFrom(
      'enum',
      ENUM_FIELDS[key]!.map((value): [string, Json] => [value.trim() || 'blank', value]),
    );
  if (typeof current === 'boolean')
    return pickFrom('flag', [
      ['text', String(current)],
      ['number', Number(current)],
      ['flipped', !current],
    ]);
  if (typeof current === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(current))
    return pickFrom('date', DATE_VARIANTS);
  if (typeof current === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(current))
    return pickFrom('date-time', dateTimeVariants(current));
  return undefined;
}

const DATE_VARIANTS: readonly [string, Json][] = [
  ['february-30', '1958-02-30'],
  ['not-leap-year', '1957-02-29'],
  ['leap-year', '1956-02-29'],
  ['month-13', '1958-13-01'],
  ['month-0', '1958-00-10'],
  ['day-0', '1958-03-00'],
  ['two-digit-year', '58-03-14'],
  ['slashes', '1958/03/14'],
  ['day-first', '14/03/1958'],
  ['no-padding', '1958-3-14'],
  ['year-0', '0000-01-01'],
  ['far-future', '9999-12-31'],
  ['with-time', '1958-03-14T00:00:00Z'],
  ['expanded-year', '+001958-03-14'],
  ['padded', ' 1958-03-14'],
  ['epoch-number', -372988800000],
];

function dateTimeVariants(current: string): [string, Json][] {
  const date = current.slice(0, 10);
  return [
    ['no-zone', `${date}T10:00:00`],
    ['space-separator', `${date} 10:00:00Z`],
    ['hour-24', `${date}T24:00:00Z`],
    ['minute-60', `${date}T10:60:00Z`],
    ['february-30', '2026-02-30T10:00:00Z'],
    ['zone-25h', `${date}T10:00:00+25:00`],
    ['epoch', '1970-01-01T00:00:00Z'],
    ['far-future', '275760-09-13T00:00:00Z'],
    ['fractional', `${date}T10:00:00.123456789Z`],
    ['lower-case', `${date}t10:00:00z`],
    ['offset', `${date}T10:00:00+01:00`],
    ['epoch-number', Date.parse(current)],
    ['word', 'now'],
  ];
}

function nhsNumberVariants(ctx: CaseContext, valid: string): [string, Json][] {
  const { prng } = ctx;
  const lastDigit = Number(valid[9]);
  const otherDigit = (lastDigit + prng.int(1, 9)) % 10;
  const digits = (n: number) => Array.from({ length: n }, () => prng.int(0, 9)).join('');
  return [
    ['wrong-check-digit', `${valid.slice(0, 9)}${otherDigit}`],
    ['random-digits', digits(10)],
    ['nine-digits', valid.slice(0, 9)],
    ['eleven-digits', `${valid}0`],
    ['letters', `${valid.slice(0, 9)}X`],
    ['spaced', `${valid.slice(0, 3)} ${valid.slice(3, 6)} ${valid.slice(6)}`],
    ['hyphenated', `${valid.slice(0, 3)}-${valid.slice(3, 6)}-${valid.slice(6)}`],
    ['tabbed', `${valid.slice(0, 5)}\t${valid.slice(5)}`],
    // Weighted sum 1×10 + 1×2 = 12 leaves remainder 1, so the check digit would be 10: never a valid NHS number.
    ['check-digit-ten', '1000000010'],
    ['all-zeros', '0000000000'],
    ['number', Number(valid)],
  ];
}

/** Every path in the value: objects, arrays, array elements and leaves (the root excluded). */
function fieldPaths(value: Json, prefix: FieldPath = []): FieldPath[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((item, index): [number, Json] => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, [...prefix, key])]);
}

const dotted = (path: FieldPath): string =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');

function valueAt(root: Json, path: FieldPath): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, root);
}

function apply(root: JsonObject, path: FieldPath, value: Json | typeof DELETE): void {
  const parent = valueAt(root, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const key = path[path.length - 1]!;
  if (value !== DELETE) (parent as Record<string | number, Json>)[key] = value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key as string];
}

/** Keys no object of the contract has (every object is strict); `__proto__` belongs to the body cases. */
const UNKNOWN_KEYS = [
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'isAdmin',
  '',
  ' ',
  'encounterId ',
  'ENCOUNTERID',
  '\u0000',
];

const TEMPLATE = exampleSnapshot('00000000-0000-4000-8000-000000000000');
const PATHS = fieldPaths(TEMPLATE);
const OBJECT_PATHS: FieldPath[] = [
  [],
  ...PATHS.filter((path) => jsonType(valueAt(TEMPLATE, path)) === 'object'),
];

/** One field of a valid snapshot changed; the contract decides whether the API must take it. */
export function snapshotFieldCase(ctx: CaseContext): FuzzCase {
  const { prng } = ctx;
  const encounterId = targetEncounter(ctx);
  const snapshot = exampleSnapshot(encounterId);
  if (prng.chance(0.08)) {
    const path = prng.pick(OBJECT_PATHS);
    // Half the time the key itself is a canary: an answer must not name what it does not know either.
    const key = prng.chance(0.5) ? canary(ctx) : prng.pick(UNKNOWN_KEYS);
    const marker = canary(ctx);
    (valueAt(snapshot, path) as JsonObject)[key] = marker;
    return judged(
      ctx,
      `field/${dotted(path) || '(root)'}/unknown-key/${key.startsWith('zq') ? 'canary' : key.trim() ? key.replace(/\W/g, '_') : 'blank'}`,
      encounterId,
      snapshot,
      {
        variant: 'unknown-key',
        value: marker,
        alwaysInvalid: true,
        canaries: [marker, key].filter((value) => value.startsWith('zq')),
      },
    );
  }
  const path = prng.pick(PATHS);
  const current = valueAt(snapshot, path);
  let mutation: Mutation | undefined;
  while (!mutation) {
    const mutator = prng.weighted(MUTATORS.map(([, fn, weight]) => [fn, weight] as const));
    mutation = mutator(ctx, current, path);
  }
  apply(snapshot, path, mutation.value);
  return judged(ctx, `field/${dotted(path)}/${mutation.variant}`, encounterId, snapshot, mutation);
}

function judged(
  ctx: CaseContext,
  label: string,
  encounterId: string,
  snapshot: JsonObject,
  mutation: Mutation,
): FuzzCase {
  const fuzzCase = postCase(ctx, label, encounterId, jsonBody(snapshot), {
    canaries: mutation.canaries ?? [],
  });
  if (mutation.alwaysInvalid && fuzzCase.expected === 'accept') {
    fuzzCase.contractHole = 'the snapshot contract accepts a change no field allows';
  }
  return fuzzCase;
}
