/**
 * Faults the PDS double can be told to inject into Patient reads, so tests can see timeouts, rate limiting and
 * server failures over a real socket. Set through `POST /_faults` or `setFaults()`.
 */
import { z } from 'zod';

export const faultSettingsSchema = z
  .object({
    /** slow: answer normally after `delayMs`; the others answer with that HTTP status; none: behave. */
    mode: z.enum(['none', 'slow', '403', '408', '429', '5xx']),
    /** How many Patient reads get the fault; omitted means every read until the faults are changed. */
    count: z.number().int().min(1).optional(),
    delayMs: z.number().int().min(0).max(600_000).default(5_000),
    /** Sent as Retry-After on 429 and 5xx answers. */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** The status of a `5xx` fault. */
    status: z.number().int().min(500).max(599).default(503),
  })
  .strict();

export type FaultSettings = z.input<typeof faultSettingsSchema>;
export type Fault = z.output<typeof faultSettingsSchema>;

export interface FaultState {
  set(settings: FaultSettings): void;
  /** The fault for the next Patient read, if one is active (and counts it). */
  take(): Fault | undefined;
}

export function createFaultState(): FaultState {
  let active: Fault | undefined;
  let remaining = Infinity;
  return {
    set(settings) {
      const fault = faultSettingsSchema.parse(settings);
      active = fault.mode === 'none' ? undefined : fault;
      remaining = fault.count ?? Infinity;
    },
    take() {
      if (!active || remaining <= 0) return undefined;
      remaining -= 1;
      return active;
    },
  };
}
