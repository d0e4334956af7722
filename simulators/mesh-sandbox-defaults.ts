/**
 * Facts of NHS England's mesh-sandbox that its clients rely on: the simulators connect with them, and the tooling
 * that starts the sandbox re-exports them.
 */

/** Mailboxes packaged with mesh-sandbox (store/data/mailboxes.jsonl): X26ABC1/2 in ODS X26, X26ABC3 in X27. */
export const MESH_SANDBOX_BUILTIN_MAILBOXES = ['X26ABC1', 'X26ABC2', 'X26ABC3'] as const;
/** mesh-sandbox gives every mailbox, packaged or created from a directory, this password. */
export const MESH_SANDBOX_MAILBOX_PASSWORD = 'password';
/** The shared key of the sandbox's own Docker image; mesh-client's tests use it too. */
export const MESH_SANDBOX_DEFAULT_SHARED_KEY = 'TestKey';
