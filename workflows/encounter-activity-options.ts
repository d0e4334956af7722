/**
 * Timeouts and retry policies of the encounter workflow's activities, in one place (the throughput benchmark's
 * engine ceiling uses the same, so both cost the engine alike).
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** Practice settings and report identity: local, fast, retried briefly. */
export const CONFIGURATION_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 10 },
};

/** Calls to PDS and MESH: transient failures back off (adapters pass Retry-After as nextRetryDelay). */
export const EXTERNAL_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/** Alerts, and the previous-run lookup of runs recorded before it became local. */
export const HOUSEKEEPING_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
};

/** The previous-run lookup (one visibility query at an encounter's start): local, retried as long as it takes. */
export const PREVIOUS_RUN_LOOKUP_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
};
