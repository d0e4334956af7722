/**
 * `GET /messageexchange/endpointlookup/{ods}/{workflow}` answered from the endpoint directory, in the shapes MESH
 * (and mesh-sandbox's views/lookup.py) use: v2 `{results: [{mailbox_id, mailbox_name}]}` when the client accepts
 * `application/vnd.mesh.v2+json`, else v1 `{query_id, results: [{address, description, endpoint_type: "MESH"}]}`.
 */
import crypto from 'node:crypto';
import type { EndpointDirectory } from './endpoint-directory';

export function endpointLookupAnswer(
  directory: EndpointDirectory,
  odsCode: string,
  workflowId: string,
  accept: string | undefined,
): object {
  const mailboxes = directory.lookup(odsCode, workflowId);
  const version = Number(/application\/vnd\.mesh\.v(\d+)\+json/i.exec(accept ?? '')?.[1] ?? '1');
  if (version >= 2) {
    return { results: mailboxes.map((m) => ({ mailbox_id: m.mailboxId, mailbox_name: m.mailboxName })) };
  }
  return {
    query_id: crypto.randomUUID().replace(/-/g, ''),
    results: mailboxes.map((m) => ({
      address: m.mailboxId,
      description: m.mailboxName,
      endpoint_type: 'MESH',
    })),
  };
}
