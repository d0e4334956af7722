/**
 * Payloads as the codec server protocol carries them: protobuf JSON, i.e. `{ metadata: { key: base64 }, data: base64 }`
 * inside `{ payloads: [...] }` (what the Temporal UI and CLI send and expect back).
 */
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const payloadJsonSchema = z.object({
  metadata: z.record(base64).nullish(),
  data: base64.nullish(),
});

/** The UI sends one event's payloads per request; the bound only stops a runaway client. */
export const payloadsBodySchema = z.object({
  payloads: z.array(payloadJsonSchema).max(10_000, 'allows at most 10000 payloads'),
});

export type PayloadJson = { metadata: Record<string, string>; data: string };

export function payloadFromJson(json: z.infer<typeof payloadJsonSchema>): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(json.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(json.data ?? '', 'base64'),
  };
}

export function payloadToJson(payload: Payload): PayloadJson {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
