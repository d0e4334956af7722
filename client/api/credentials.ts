/**
 * The API's credentials and the practices each may act for (docs/api.md, Credentials): the file named by
 * FEDREPORT_API_CREDENTIALS_FILE, validated with zod. A credential is a bearer token or a client-certificate identity
 * (subject, SHA-256 fingerprint, or both); each lists the ODS codes of the hosting practices it acts for, or `"*"`
 * for every practice (a clinical system hosting the whole federation). Nothing of the file's content reaches an
 * error: tokens are secrets.
 */
import { z } from 'zod';
import { odsCodeSchema } from '../../domain/snapshot';
import { ValidationError, fieldIssuesFromZod } from '../../domain/validation-error';
import { readSecretJsonFile } from '../../common/secret-file';

/** `'*'`: every practice; otherwise the ODS codes of the hosting practices a credential acts for. */
export type PracticeScope = '*' | readonly string[];

/** Who is calling, once authenticated: a name for logs (never the secret) and the practices it may act for. */
export interface Caller {
  name: string;
  practices: PracticeScope;
}

export interface TokenCredential extends Caller {
  token: string;
}

/** A client certificate matches when every identity given matches: subject and/or SHA-256 fingerprint. */
export interface CertificateCredential extends Caller {
  subject?: string;
  sha256?: string;
}

export interface ApiCredentials {
  tokens: TokenCredential[];
  certificates: CertificateCredential[];
}

/** An unknown practice (`undefined`) is open to credentials for every practice only. */
export function mayActFor(caller: Caller, odsCode: string | undefined): boolean {
  return caller.practices === '*' || (odsCode !== undefined && caller.practices.includes(odsCode));
}

/**
 * A distinguished name in one spelling, so the file may hold what `openssl x509 -noout -subject` prints
 * (`C = GB, O = Trust, CN = emis`) and Node's certificate subject (`C=GB\nO=Trust\nCN=emis`) compares equal.
 */
export function normalizedSubject(subject: string): string {
  return subject
    .split(/[,\n]/)
    .map((part) => part.split('=').map((side) => side.trim()))
    .filter((sides) => sides.some((side) => side !== ''))
    .map((sides) => sides.join('='))
    .join(', ');
}

/** Upper-case hex without separators: the file may hold `AB:CD:…` as Node and openssl print it, or plain hex. */
export function normalizedFingerprint(fingerprint: string): string {
  return fingerprint.replace(/:/g, '').toUpperCase();
}

const practiceScopeSchema = z.union([
  z.literal('*'),
  z
    .array(odsCodeSchema)
    .refine((codes) => codes.length > 0, 'must list at least one ODS code, or be "*" for every practice'),
]);

const nameSchema = z.string().trim().min(1, 'must name the credential (it appears in logs)').max(100);

const tokenEntrySchema = z
  .object({
    name: nameSchema,
    token: z.string().min(16, 'must be at least 16 characters'),
    practices: practiceScopeSchema,
  })
  .strict();

const certificateEntrySchema = z
  .object({
    name: nameSchema,
    subject: z
      .string()
      .refine((value) => /=/.test(value), 'must be a distinguished name such as "O = Trust, CN = emis"')
      .optional(),
    sha256: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'must be a SHA-256 fingerprint (64 hex digits)')
      .optional(),
    practices: practiceScopeSchema,
  })
  .strict()
  .refine((entry) => entry.subject !== undefined || entry.sha256 !== undefined, {
    message: 'needs a subject, a sha256 fingerprint, or both',
    path: ['subject'],
  });

const credentialsFileSchema = z
  .object({
    tokens: z.array(tokenEntrySchema).default([]),
    certificates: z.array(certificateEntrySchema).default([]),
  })
  .strict()
  .superRefine(({ tokens, certificates }, ctx) => {
    const duplicate = (list: string[], at: number) => list.indexOf(list[at]!) !== at;
    const names = [...tokens, ...certificates].map((entry) => entry.name);
    names.forEach((_, at) => {
      if (!duplicate(names, at)) return;
      const [kind, index] = at < tokens.length ? ['tokens', at] : ['certificates', at - tokens.length];
      ctx.addIssue({ code: 'custom', path: [kind, index, 'name'], message: 'is used by another entry' });
    });
    const secrets = tokens.map((entry) => entry.token);
    secrets.forEach((_, at) => {
      if (duplicate(secrets, at))
        ctx.addIssue({
          code: 'custom',
          path: ['tokens', at, 'token'],
          message: 'is the token of another entry',
        });
    });
  });

/** The credentials file, validated; throws ValidationError naming the variable and each entry's field and reason. */
export function loadCredentialsFile(file: string, variable: string): ApiCredentials {
  // Holds tokens: owner-only, and a syntax error names the line and column, never the text there.
  const json = readSecretJsonFile(file, variable);
  const result = credentialsFileSchema.safeParse(json);
  if (!result.success) {
    const issues = fieldIssuesFromZod(result.error, { nameUnknownFields: true }).map(({ field, reason }) => ({
      field: `${variable}: ${field}`,
      reason,
    }));
    throw new ValidationError('API settings', issues);
  }
  return result.data;
}
