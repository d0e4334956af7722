/**
 * What a log line may not carry, by field name, wherever the field nests: every patient field of the consultation
 * snapshot (and the snapshot's free text and attachments), message bodies, and credentials. Code never logs these;
 * this is the second line of defence for a careless log call, so it errs towards censoring (a practice's name or
 * address is censored too: the same field names carry the patient's).
 */

export const LOG_CENSOR = '[redacted]';

const CENSORED_FIELDS = new Set([
  // Containers of patient data.
  'snapshot',
  'patient',
  'consultation',
  'body',
  'payload',
  'payloads',
  // Identity and demographics (domain/snapshot.ts, PDS answers, the MESH GPPROVIDER address built from them).
  'nhsNumber',
  'name',
  'given',
  'family',
  'familyName',
  'deceasedAt',
  'addressDemographics',
  'gpProviderAddress',
  'mex-to',
  'mexTo',
  'prefix',
  'birthDate',
  'deathDate',
  'gender',
  'telecom',
  'phones',
  'phone',
  'home',
  'mobile',
  'current',
  'email',
  'address',
  'registeredAddress',
  'currentAddress',
  'lines',
  'line',
  'city',
  'district',
  'postalCode',
  // Clinical free text and documents.
  'sections',
  'items',
  'text',
  'display',
  'notes',
  'followUpActions',
  'attachments',
  'data',
  // Credentials.
  'authorization',
  'cookie',
  'token',
  'password',
  'passphrase',
  'apiKey',
  'sharedKey',
]);

/** Deeper than any record fedreport logs; past it, the rest is censored rather than walked. */
const MAX_DEPTH = 16;

/**
 * A copy of `value` with every censored field's value replaced, in plain objects and arrays at any depth. Other
 * objects (errors, dates, buffers) are left to pino's serializers; the caller's object is never changed.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    return depth >= MAX_DEPTH ? LOG_CENSOR : value.map((item) => redactForLog(item, depth + 1));
  }
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) return LOG_CENSOR;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = CENSORED_FIELDS.has(key) ? LOG_CENSOR : redactForLog(field, depth + 1);
  }
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
