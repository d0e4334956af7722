/**
 * The runnable simulator's settings from RECEIVING_PRACTICE_* environment variables (documented in
 * docs/receiving-practice-simulator.md). Errors name the variable and the reason, never the value.
 */
import { z } from 'zod';
import { integerText, listText, logLevelText, optionalText, portText } from '../../common/env-fields';
import { fieldIssuesFromZod, ValidationError } from '../../domain/validation-error';
import { MESH_SANDBOX_DEFAULT_SHARED_KEY } from '../mesh-sandbox-defaults';
import { responsePolicySchema, type ResponsePolicy } from './response-policy';
import type { ReceivingPracticeOptions } from './simulator';

export const RECEIVING_PRACTICE_ENV = {
  meshUrl: 'RECEIVING_PRACTICE_MESH_URL',
  meshSharedKey: 'RECEIVING_PRACTICE_MESH_SHARED_KEY',
  mailboxPassword: 'RECEIVING_PRACTICE_MAILBOX_PASSWORD',
  mailboxes: 'RECEIVING_PRACTICE_MAILBOXES',
  replyMailbox: 'RECEIVING_PRACTICE_REPLY_MAILBOX',
  odsCode: 'RECEIVING_PRACTICE_ODS_CODE',
  /** Per mailbox, the practice that answers from it: `X26ABC2=Y90002,X26ABC3=Y90003`. */
  odsCodes: 'RECEIVING_PRACTICE_ODS_CODES',
  pollIntervalMs: 'RECEIVING_PRACTICE_POLL_INTERVAL_MS',
  behaviour: 'RECEIVING_PRACTICE_BEHAVIOUR',
  adminPort: 'RECEIVING_PRACTICE_ADMIN_PORT',
  adminHost: 'RECEIVING_PRACTICE_ADMIN_HOST',
  logLevel: 'RECEIVING_PRACTICE_LOG_LEVEL',
} as const;

const E = RECEIVING_PRACTICE_ENV;

/** The local stack's admin port, next to mesh-sandbox's 8700. */
export const DEFAULT_ADMIN_PORT = 8710;

/**
 * `positive`, `positive:30004`, `none`, `infrastructure-only`, `negative:<code>`, `delayed:<ms>`: one word is
 * easier to put in an environment variable than JSON.
 */
const behaviourText = z
  .string()
  .transform((text, ctx): ResponsePolicy | undefined => {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    const [mode = '', argument] = trimmed.split(':', 2);
    const candidate =
      mode === 'negative'
        ? { mode, code: argument }
        : mode === 'delayed'
          ? { mode, delayMs: /^\d+$/.test(argument ?? '') ? Number(argument) : argument }
          : mode === 'positive' && argument !== undefined
            ? { mode, businessCode: argument }
            : { mode };
    const parsed = responsePolicySchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    for (const issue of fieldIssuesFromZod(parsed.error)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${issue.field}: ${issue.reason}` });
    }
    return z.NEVER;
  })
  .optional();

const envSchema = z.object({
  [E.meshUrl]: z.string({ required_error: 'is required' }).url('must be a URL'),
  [E.meshSharedKey]: optionalText.transform((v) => v ?? MESH_SANDBOX_DEFAULT_SHARED_KEY),
  [E.mailboxPassword]: optionalText,
  [E.mailboxes]: listText.refine(
    (list) => list !== undefined && list.length > 0,
    'is required: the mailboxes to poll',
  ),
  [E.replyMailbox]: optionalText,
  [E.odsCode]: optionalText,
  [E.odsCodes]: listText.refine(
    (list) => (list ?? []).every((pair) => /^[A-Za-z0-9_'-]+=[A-Z0-9]{3,10}$/.test(pair)),
    'must be MAILBOX=ODS pairs separated by commas',
  ),
  [E.pollIntervalMs]: integerText(10, 3_600_000).optional(),
  [E.behaviour]: behaviourText,
  [E.adminPort]: portText.optional(),
  [E.adminHost]: optionalText,
  [E.logLevel]: logLevelText,
});

export interface ReceivingPracticeSettings {
  options: Omit<ReceivingPracticeOptions, 'logger'>;
  logLevel: z.infer<typeof logLevelText>;
}

/** `MAILBOX=ODS` pairs (checked by the schema) as the option, by upper-case mailbox id; nothing when unset. */
function responderOdsCodesFrom(pairs: string[] | undefined): { responderOdsCodes?: Record<string, string> } {
  if (!pairs) return {};
  const entries = pairs.map((pair) => pair.split('=') as [string, string]).map(([mailbox, ods]) => [mailbox.toUpperCase(), ods]);
  return { responderOdsCodes: Object.fromEntries(entries) as Record<string, string> };
}

/** @throws ValidationError naming each wrong variable. */
export function receivingPracticeSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ReceivingPracticeSettings {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.values(E).map((name) => [name, env[name] === '' ? undefined : env[name]])),
  );
  if (!parsed.success)
    throw new ValidationError('receiving-practice simulator settings', fieldIssuesFromZod(parsed.error));
  const values = parsed.data;
  return {
    options: {
      mesh: { url: values[E.meshUrl], sharedKey: values[E.meshSharedKey] },
      mailboxes: [...new Set((values[E.mailboxes] ?? []).map((m) => m.toUpperCase()))],
      mailboxPassword: values[E.mailboxPassword],
      replyMailbox: values[E.replyMailbox],
      responderOdsCode: values[E.odsCode],
      ...responderOdsCodesFrom(values[E.odsCodes]),
      pollIntervalMs: values[E.pollIntervalMs],
      behaviour: values[E.behaviour] ? { default: values[E.behaviour] } : undefined,
      adminPort: values[E.adminPort] ?? DEFAULT_ADMIN_PORT,
      adminHost: values[E.adminHost],
    },
    logLevel: values[E.logLevel],
  };
}
