/**
 * The encounter workflow's patches (`patched(name)`): each gates a change that would make a recorded history replay
 * differently. docs/architecture.md ("Patches") says when each can be deprecated.
 */

/**
 * Runs started since this patch ask the engine for less per encounter, which is what bounds how many timers one
 * worker fires on time (docs/performance.md): the previous-run lookup is a local activity (no activity task and no
 * second workflow task at start), search attributes are upserted only when they change, and practice settings are
 * not loaded twice in the same workflow task. Runs recorded before it replay on the old path.
 */
export const LEAN_ENCOUNTER_PATCH = 'lean-encounter-commands';

/** A new run drops a first save whose revision the earlier run had already seen (a client's retry after retention). */
export const STALE_SAVE_AFTER_RETENTION_PATCH = 'stale-save-after-retention';

/** A save naming another hosting practice than the encounter's is refused with an alert. */
export const ONE_HOSTING_PRACTICE_PATCH = 'one-hosting-practice';

/** A newer save ends a needs-attention wait: the correction starts a fresh cycle without an operator. */
export const CORRECTIONS_UNBLOCK_PATCH = 'corrections-unblock';

/**
 * Alerts follow the alert model (domain/alerts.ts, workflows/encounter-alerts.ts): a repeat of an open kind is an
 * update of its key, and a resolved notice goes out when the encounter leaves the state that raised it.
 */
export const ALERT_MODEL_PATCH = 'alert-model';
