/**
 * One MESH client per sending mailbox. Each practice sends from its own mailbox; they share the environment
 * (URL, shared key, TLS) and differ in mailbox id and password.
 */
import { createMeshClient, type MeshClient } from './client';
import type { MeshConfig } from './config';

export interface MeshMailboxes {
  clientFor(mailbox: string): MeshClient;
}

export function meshMailboxes(base: MeshConfig, passwords: Record<string, string> = {}): MeshMailboxes {
  const clients = new Map<string, MeshClient>();
  return {
    clientFor(mailbox) {
      const id = mailbox.toUpperCase();
      let client = clients.get(id);
      if (!client) {
        client = createMeshClient({ ...base, mailbox: id, password: passwords[id] ?? base.password });
        clients.set(id, client);
      }
      return client;
    },
  };
}
