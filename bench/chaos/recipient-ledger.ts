/**
 * What really reached the recipients, read from the recipient side and nowhere else: mesh-sandbox's file store keeps
 * every DATA message delivered to a mailbox (`<store>/<MAILBOX>/in/<id>.json`, still there after the simulator
 * acknowledged it), with the sender's local id, which fedreport sets to the version's MessageHeader id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const storedMessageSchema = z.object({
  message_type: z.string().nullable().optional(),
  metadata: z.object({ local_id: z.string().nullable().optional() }).passthrough(),
});

/** The MESH message ids of the DATA messages delivered under each local id (the file name is the message id). */
export function deliveredMessageIds(storeDir: string, mailboxes: readonly string[]): Map<string, string[]> {
  const delivered = new Map<string, string[]>();
  for (const mailbox of mailboxes) {
    const inbox = path.join(storeDir, mailbox.toUpperCase(), 'in');
    if (!fs.existsSync(inbox)) continue;
    for (const entry of fs.readdirSync(inbox)) {
      if (!entry.endsWith('.json')) continue;
      const message = storedMessageSchema.parse(JSON.parse(fs.readFileSync(path.join(inbox, entry), 'utf8')));
      if (message.message_type !== 'DATA') continue;
      const localId = message.metadata.local_id ?? '(none)';
      delivered.set(localId, [...(delivered.get(localId) ?? []), entry.slice(0, -'.json'.length)]);
    }
  }
  return delivered;
}
