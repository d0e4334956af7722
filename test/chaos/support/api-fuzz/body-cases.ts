/**
 * Whole-body abuse with valid credentials and content type: broken JSON, bodies over and under the size limit and
 * ITK3's 5 MiB of attachments, deep nesting, prototype-pollution keys, duplicate keys, invalid UTF-8, and a save naming
 * another hosting practice than the running encounter's.
 */
import { MAX_ATTACHMENT_BYTES } from '../../../../domain/snapshot';
import type { RawRequest } from '../raw-http';
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

type BodyGenerator = (ctx: CaseContext, encounterId: string) => FuzzCase;

const validText = (encounterId: string): string => JSON.stringify(exampleSnapshot(encounterId));

/** Valid JSON text of the snapshot, spliced: `"revision":1` is where number syntax goes wrong. */
const withRevision = (encounterId: string, revisionText: string): string =>
  validText(encounterId).replace('"revision":1', `"revision":${revisionText}`);

const JSON_SYNTAX: readonly [string, (ctx: CaseContext, id: string) => string][] = [
  [
    'truncated',
    (ctx, id) => {
      const text = validText(id);
      return text.slice(0, ctx.prng.int(1, text.length - 1));
    },
  ],
  [
    'trailing-garbage',
    (ctx, id) => `${validText(id)}${ctx.prng.pick(['x', '}', ',', ' {}', '\u0000', '\n]'])}`,
  ],
  ['single-quotes', (_ctx, id) => validText(id).replace(/"/g, "'")],
  ['unquoted-keys', (_ctx, id) => validText(id).replace(/"(\w+)":/g, '$1:')],
  ['trailing-comma', (_ctx, id) => validText(id).replace(/}$/, ',}')],
  ['comment', (_ctx, id) => `/* saved */${validText(id)}`],
  ['nan', (_ctx, id) => withRevision(id, 'NaN')],
  ['infinity', (_ctx, id) => withRevision(id, 'Infinity')],
  ['hex-number', (_ctx, id) => withRevision(id, '0x1')],
  ['leading-zero', (_ctx, id) => withRevision(id, '01')],
  ['overflowing-number', (_ctx, id) => withRevision(id, '1e999')],
  ['raw-control-character', (_ctx, id) => validText(id).replace('"History"', '"His\u0001tory"')],
  ['invalid-escape', (_ctx, id) => validText(id).replace('"History"', '"His\\xtory"')],
  ['unpaired-bracket', () => '{'],
  ['empty', () => ''],
  ['white-space', () => ' \n\t '],
  ['null', () => 'null'],
  ['array', () => '[]'],
  ['number', () => '0'],
  ['string', () => '"snapshot"'],
  ['boolean', () => 'true'],
];

/** Keys parsed as own properties that a careless merge would copy onto Object.prototype (fastify refuses them). */
function pollutionPayloads(ctx: CaseContext): [string, (id: string) => string][] {
  const payload = `{"${ctx.pollutionMarker}":true}`;
  const at = (id: string, field: string, value: string) =>
    validText(id).replace(`"${field}":{`, `"${field}":{${value},`);
  return [
    ['root-proto', (id) => validText(id).replace(/^{/, `{"__proto__":${payload},`)],
    ['nested-proto', (id) => at(id, 'patient', `"__proto__":${payload}`)],
    ['escaped-proto', (id) => at(id, 'clinician', `"\\u005f_proto__":${payload}`)],
    [
      'root-constructor-prototype',
      (id) => validText(id).replace(/^{/, `{"constructor":{"prototype":${payload}},`),
    ],
    [
      'nested-constructor-prototype',
      (id) => at(id, 'consultation', `"constructor":{"prototype":${payload}}`),
    ],
    ['proto-in-array', (id) => validText(id).replace('"items":[{', `"items":[{"__proto__":${payload},`)],
  ];
}

/** `depth` levels of nesting as JSON text, built without recursion. */
function nested(depth: number, open: string, close: string, innermost: string): string {
  return `${open.repeat(depth)}${innermost}${close.repeat(depth)}`;
}

const NESTING_DEPTHS = [1_000, 10_000, 100_000, 1_000_000];

/** One over-limit body per limit, shared by all cases of a run (3 MiB by default: built once). */
const oversizedBodies = new Map<number, Buffer>();
function oversizedBody(limit: number): Buffer {
  let body = oversizedBodies.get(limit);
  if (!body) {
    const prefix = '{"notes":"';
    body = Buffer.alloc(limit + 1, 'a');
    body.write(prefix, 0, 'utf8');
    body.write('"}', limit - 1, 'utf8');
    oversizedBodies.set(limit, body);
  }
  return body;
}

const BODY_GENERATORS: readonly (readonly [BodyGenerator, number])[] = [
  [
    (ctx, id) => {
      const [name, make] = ctx.prng.pick(JSON_SYNTAX);
      return postCase(ctx, `body/json-syntax/${name}`, id, Buffer.from(make(ctx, id), 'utf8'));
    },
    6,
  ],
  [
    (ctx, id) => {
      const [name, make] = ctx.prng.pick(pollutionPayloads(ctx));
      return postCase(ctx, `body/prototype-pollution/${name}`, id, Buffer.from(make(id), 'utf8'));
    },
    4,
  ],
  [
    (ctx, id) => {
      const depth = ctx.prng.pick(NESTING_DEPTHS);
      const shapes: [string, string][] = [
        ['root-arrays', nested(depth, '[', ']', '')],
        ['root-objects', nested(depth, '{"a":', '}', '1')],
        ['in-sections', withRawSections(id, nested(depth, '[', ']', ''))],
        ['proto-at-bottom', nested(depth, '{"a":', '}', `{"__proto__":{"${ctx.pollutionMarker}":true}}`)],
      ];
      const [shape, text] = ctx.prng.pick(shapes);
      return postCase(ctx, `body/deep-nesting/${shape}/${depth}`, id, Buffer.from(text, 'utf8'));
    },
    3,
  ],
  [
    (ctx, id) => {
      const snapshot = exampleSnapshot(id);
      const variants: [string, () => Buffer, RawRequest['framing']?][] = [
        ['over-limit', () => oversizedBody(ctx.bodyLimitBytes)],
        // No Content-Length to refuse it by: the limit must hold while the body streams in.
        ['over-limit-chunked', () => oversizedBody(ctx.bodyLimitBytes), 'chunked'],
        [
          'one-megabyte-name',
          () =>
            jsonBody({
              ...snapshot,
              patient: {
                ...(snapshot.patient as object),
                name: { given: ['a'], family: 'a'.repeat(1 << 20) },
              },
            }),
        ],
        ['five-thousand-items', () => jsonBody(withSections(snapshot, 5_000))],
        // Valid, and under the body limit: ITK3's 5 MiB decides (413 attachments_too_large, or 202); attachments go
        // to the archive, so one larger than the snapshot budget is taken.
        ['attachment-over-itk3-limit', () => jsonBody(withAttachmentOf(snapshot, ITK3_LIMIT_BASE64 + BUDGET_MARGIN))],
        ['attachment-over-budget', () => jsonBody(withAttachmentOf(snapshot, ctx.maxSnapshotBytes + BUDGET_MARGIN))],
        [
          'twenty-thousand-keys',
          () =>
            jsonBody({
              ...snapshot,
              ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
            }),
        ],
      ];
      const [name, make, framing] = ctx.prng.pick(variants);
      return postCase(ctx, `body/size/${name}`, id, make(), { framing });
    },
    2,
  ],
  [(ctx, id) => boundsCase(ctx, id), 3],
  [
    (ctx) => {
      // The control encounter's workflow runs for the example's practice: a save naming another is refused (422).
      const snapshot = exampleSnapshot(ctx.controlEncounterId);
      snapshot.hostingPractice = { ...(snapshot.hostingPractice as JsonObject), odsCode: 'Y90002' };
      return postCase(
        ctx,
        'body/hosting-practice/other-than-running',
        ctx.controlEncounterId,
        jsonBody(snapshot),
      );
    },
    1,
  ],
  [
    (ctx, id) => {
      // The last duplicate wins in JSON.parse: a body that names the path's encounter first, another one last.
      const other = ctx.prng.chance(0.5) ? ctx.prng.uuid() : id;
      const text = validText(id)
        .replace(/^{/, `{"encounterId":"${id}",`)
        .replace(/}$/, `,"encounterId":"${other}"}`);
      return postCase(
        ctx,
        `body/duplicate-keys/${other === id ? 'same' : 'other'}-encounter`,
        id,
        Buffer.from(text, 'utf8'),
      );
    },
    1,
  ],
  [
    (ctx, id) => {
      const [name, bytes] = ctx.prng.pick([
        ['byte-ff', [0xff]],
        ['overlong-slash', [0xc0, 0xaf]],
        ['lone-continuation', [0x80]],
        ['truncated-sequence', [0xe2, 0x82]],
        ['surrogate-encoded', [0xed, 0xa0, 0x80]],
      ] as const);
      const [before, after] = validText(id).split('Whitfield') as [string, string];
      const body = Buffer.concat([
        Buffer.from(`${before}Whit`),
        Buffer.from(bytes),
        Buffer.from(`field${after}`),
      ]);
      return postCase(ctx, `body/invalid-utf8/${name}`, id, body);
    },
    1,
  ],
];

/** Items enough to flood an answer with one issue each, in a body well under the limit (~0.4 MB of `1,`). */
const FLOOD_ITEMS = 200_000;
const LONG_STRING = 'a'.repeat(1 << 20);
const DEEP_PLACEHOLDER = 'DEEP-PLACEHOLDER';

/**
 * The input bounds (docs/api.md, Limits): arrays far over their length, lists that together hold too many items,
 * megabyte strings where a pattern is checked, many unknown keys named with canaries, deep nesting under an unknown
 * key, and thousands of bad items within bounds. Each must be refused with a short answer that echoes nothing.
 */
function boundsCase(ctx: CaseContext, id: string): FuzzCase {
  const snapshot = exampleSnapshot(id);
  const consultation = snapshot.consultation as JsonObject;
  const patient = snapshot.patient as JsonObject;
  const keyCanaries = Array.from({ length: 5_000 }, () => canary(ctx));
  const variants: [string, () => JsonObject][] = [
    [
      'huge-array/follow-up-actions',
      () => ({
        ...snapshot,
        consultation: { ...consultation, followUpActions: Array<Json>(FLOOD_ITEMS).fill(1) },
      }),
    ],
    [
      'huge-array/sections',
      () => ({ ...snapshot, consultation: { ...consultation, sections: Array<Json>(FLOOD_ITEMS).fill({}) } }),
    ],
    [
      'huge-array/attachments',
      () => ({
        ...snapshot,
        consultation: {
          ...consultation,
          attachments: Array<Json>(FLOOD_ITEMS / 4).fill((consultation.attachments as Json[])[0]!),
        },
      }),
    ],
    [
      'huge-array/given-names',
      () => ({
        ...snapshot,
        patient: {
          ...patient,
          name: { ...(patient.name as JsonObject), given: Array<Json>(FLOOD_ITEMS).fill(0) },
        },
      }),
    ],
    [
      'many-lists',
      () => ({
        ...snapshot,
        consultation: {
          ...consultation,
          sections: Array.from({ length: 100 }, () => ({ title: 'Seen', items: Array<Json>(500).fill({}) })),
        },
      }),
    ],
    [
      'many-bad-items-within-bounds',
      () => ({
        ...snapshot,
        consultation: {
          ...consultation,
          sections: Array.from({ length: 4 }, () => ({
            title: 'Seen',
            items: Array<Json>(400).fill({ text: 'Seen', coding: { system: 'not a uri', code: 'a' } }),
          })),
        },
      }),
    ],
    ['long-string/encounter-id', () => ({ ...snapshot, encounterId: LONG_STRING })],
    ['long-string/saved-at', () => ({ ...snapshot, savedAt: LONG_STRING })],
    ['long-string/nhs-number', () => ({ ...snapshot, patient: { ...patient, nhsNumber: LONG_STRING } })],
    [
      'long-string/email',
      () => ({
        ...snapshot,
        hostingPractice: { ...(snapshot.hostingPractice as JsonObject), email: `${LONG_STRING}@example.org` },
      }),
    ],
    [
      'many-unknown-keys',
      () => ({
        ...snapshot,
        patient: { ...patient, ...Object.fromEntries(keyCanaries.map((key) => [key, 1])) },
      }),
    ],
    [
      'deep-nesting-under-unknown-key',
      () => ({ ...snapshot, patient: { ...patient, [keyCanaries[0]!]: DEEP_PLACEHOLDER } }),
    ],
  ];
  const [name, make] = ctx.prng.pick(variants);
  // Spliced in as text: JSON.stringify recurses, and would run out of stack on the deep value.
  const text = JSON.stringify(make()).replace(`"${DEEP_PLACEHOLDER}"`, nested(100_000, '{"a":', '}', '1'));
  return postCase(ctx, `body/bounds/${name}`, id, Buffer.from(text, 'utf8'), {
    canaries: keyCanaries.slice(0, 20),
  });
}

/** The snapshot's JSON text with `sectionsText` spliced in verbatim as consultation.sections. */
function withRawSections(encounterId: string, sectionsText: string): string {
  const snapshot = exampleSnapshot(encounterId);
  const placeholder = 'SECTIONS-PLACEHOLDER';
  const consultation = { ...(snapshot.consultation as object), sections: placeholder };
  return JSON.stringify({ ...snapshot, consultation }).replace(`"${placeholder}"`, sectionsText);
}

/** How far the attachment cases stay from the limits: far beyond the codec's overhead and the example's size. */
const BUDGET_MARGIN = 64 * 1024;
/** ITK3's 5 MiB of attachments as base64 characters. */
const ITK3_LIMIT_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

/** The snapshot with its attachment's base64 data `dataBytes` long. */
function withAttachmentOf(snapshot: JsonObject, dataBytes: number): JsonObject {
  const consultation = snapshot.consultation as JsonObject;
  const [attachment] = consultation.attachments as JsonObject[];
  const data = 'A'.repeat(dataBytes - (dataBytes % 4));
  return { ...snapshot, consultation: { ...consultation, attachments: [{ ...attachment!, data }] } };
}

function withSections(snapshot: ReturnType<typeof exampleSnapshot>, count: number) {
  const consultation = snapshot.consultation as Record<string, unknown>;
  const sections = Array.from({ length: count }, (_, i) => ({
    title: `Section ${i}`,
    items: [{ text: 'Seen.' }],
  }));
  return { ...snapshot, consultation: { ...consultation, sections } };
}

export function bodyCase(ctx: CaseContext): FuzzCase {
  return ctx.prng.weighted(BODY_GENERATORS)(ctx, targetEncounter(ctx));
}
