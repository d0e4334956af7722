/**
 * The MESH endpoint directory as data: which mailbox receives which workflow for an organisation (ODS code). The
 * router routes GPPROVIDER sends and answers endpoint lookups from it. The local stack builds it from the federation
 * file (every practice's mailbox for the GP Connect workflows); a JSON file of the same shape replaces it:
 *
 *   {"endpoints": [{"odsCode": "Y90002", "mailboxId": "X26ABC2", "mailboxName": "Hillside Surgery",
 *                   "workflowIds": ["GPFED_CONSULT_REPORT", "GPCONNECT_SEND_DOCUMENT"]}]}
 *
 * Two entries for one ODS code and workflow are allowed: MESH then refuses to choose (EPL-150).
 */
import { z } from 'zod';
import { odsCodeSchema } from '../../domain/snapshot';
import type { FederationSettings } from '../../integrations/federation/settings';
import { meshConfigSchema } from '../../integrations/mesh/config';
import { parseWithSchema, readJsonFile } from '../json-file';

/** GP Connect Send Document 1.x and 2.x, each with its acknowledgement workflow (domain-reference §2.10). */
export const GP_CONNECT_WORKFLOWS = [
  'GPFED_CONSULT_REPORT',
  'GPFED_CONSULT_REPORT_ACK',
  'GPCONNECT_SEND_DOCUMENT',
  'GPCONNECT_SEND_DOCUMENT_ACK',
] as const;

const endpointSchema = z
  .object({
    odsCode: odsCodeSchema,
    mailboxId: meshConfigSchema.shape.mailbox,
    mailboxName: z.string().trim().min(1).max(200).optional(),
    workflowIds: z
      .array(
        z.string().regex(/^[A-Z0-9_]{1,300}$/, 'must be a MESH workflow id (upper-case letters, digits, _)'),
      )
      .min(1),
  })
  .strict();

export const endpointDirectorySchema = z.object({ endpoints: z.array(endpointSchema) }).strict();

export type EndpointDirectoryInput = z.input<typeof endpointDirectorySchema>;

export interface DirectoryMailbox {
  mailboxId: string;
  mailboxName: string;
}

export interface EndpointDirectory {
  /** The mailboxes registered for this organisation and workflow, each once. */
  lookup(odsCode: string, workflowId: string): DirectoryMailbox[];
  /** Every mailbox the directory names: they must exist in mesh-sandbox. */
  mailboxIds(): string[];
}

/** @throws ValidationError naming each wrong field. */
export function createEndpointDirectory(
  input: EndpointDirectoryInput,
  source = 'MESH endpoint directory',
): EndpointDirectory {
  const { endpoints } = parseWithSchema(endpointDirectorySchema, input, source);
  return {
    lookup(odsCode, workflowId) {
      const matches = endpoints.filter(
        (e) => e.odsCode === odsCode.trim().toUpperCase() && e.workflowIds.includes(workflowId.trim()),
      );
      const unique = new Map(matches.map((e) => [e.mailboxId, e.mailboxName ?? e.mailboxId]));
      return [...unique].map(([mailboxId, mailboxName]) => ({ mailboxId, mailboxName }));
    },
    mailboxIds: () => [...new Set(endpoints.map((e) => e.mailboxId))],
  };
}

export async function loadEndpointDirectory(file: string): Promise<EndpointDirectory> {
  return createEndpointDirectory(await readJsonFile(endpointDirectorySchema, file), file);
}

/** Every practice of the federation file receives the GP Connect workflows in its own mailbox. */
export function endpointDirectoryFromFederation(settings: FederationSettings): EndpointDirectoryInput {
  return {
    endpoints: Object.values(settings.practices).map((practice) => ({
      odsCode: practice.odsCode,
      mailboxId: practice.meshMailbox,
      mailboxName: practice.name,
      workflowIds: [...GP_CONNECT_WORKFLOWS],
    })),
  };
}
