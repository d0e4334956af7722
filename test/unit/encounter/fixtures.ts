/** Small builders for the encounter-state rule tests: states come from initialState, versions from one template. */
import type { ConsultationSnapshot } from '../../../domain/snapshot';
import { initialState, type EncounterState, type ReportVersion } from '../../../workflows/encounter-state';
import type { AcknowledgementReceived, MeshReportReceived } from '../../../workflows/encounter-messages';
import { temporaryResident } from '../report/support/snapshots';

export const STARTED_AT = Date.parse('2026-11-20T10:00:00Z');
export const RECEIVED_AT = '2026-11-20T12:00:00Z';
const MINUTE = 60_000;

/** A time `minutes` after STARTED_AT (epoch ms). */
export const at = (minutes: number): number => STARTED_AT + minutes * MINUTE;

export function state(overrides: Partial<EncounterState> = {}): EncounterState {
  return { ...initialState('enc-0001', 'Y90001', STARTED_AT), ...overrides };
}

/** A version sent to MESH and waiting for its acknowledgements; ids derive from the number. */
export function version(n: number, overrides: Partial<ReportVersion> = {}): ReportVersion {
  return {
    version: n,
    revision: n,
    firstBuiltAt: '2026-11-20T11:00:00Z',
    identity: { messageHeaderId: `header-${n}`, documentIdentifier: `document-${n}`, localId: `local-${n}` },
    registeredPracticeOds: 'Y90002',
    meshMessageId: `mesh-${n}`,
    sentAt: '2026-11-20T11:00:05Z',
    outcome: 'awaiting-acknowledgement',
    missingAckAlerts: [],
    ...overrides,
  };
}

/** A state holding the given versions (version 1 first). */
export const withVersions = (...versions: ReportVersion[]): EncounterState =>
  state({ versions, phase: 'idle' });

export function ack(overrides: Partial<AcknowledgementReceived> = {}): AcknowledgementReceived {
  return {
    messageHeaderId: 'header-1',
    kind: 'business',
    code: '30001',
    positive: true,
    receivedAt: RECEIVED_AT,
    ...overrides,
  };
}

export function meshReport(overrides: Partial<MeshReportReceived> = {}): MeshReportReceived {
  return { meshMessageId: 'mesh-1', statusCode: '14', receivedAt: RECEIVED_AT, ...overrides };
}

const baseSnapshot = temporaryResident();

export const snapshot = (revision: number): ConsultationSnapshot => ({ ...baseSnapshot, revision });

/** A deep copy, to assert that a rule left a state exactly as it was. */
export const copy = <T>(value: T): T => structuredClone(value);
