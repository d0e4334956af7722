import { ApplicationFailure, Context } from '@temporalio/activity';
import type {
  EligibilityVerdict,
  EncounterActivities,
  OperatorAlert,
  PracticeSettingsView,
  PreviousRunSummary,
  ReconciliationResult,
  SendReportInput,
} from '../../../workflows/encounter-activities';
import { FAILURE_TYPES } from '../../../workflows/encounter-activities';

const HOUR = 3_600_000;

export const DEFAULT_SETTINGS: PracticeSettingsView = {
  quietPeriodMs: 3 * HOUR,
  maxTotalWaitMs: null,
  senderMailbox: 'X26ABC1',
  infrastructureAckWindowMs: 4 * HOUR,
  businessAckWindowMs: 48 * HOUR,
  idleRetentionMs: 30 * 24 * HOUR,
};

export type SendBehaviour = 'accept' | 'permanent-failure' | 'unknown-outcome';

/**
 * The outside world as the workflow sees it, scripted per test: what PDS decides, how MESH answers a send,
 * what tracking says. Records every call so tests assert what was sent, when, with which ids.
 */
export class RecordingWorld {
  settingsByPractice = new Map<string, PracticeSettingsView>();
  verdict: EligibilityVerdict = { verdict: 'required', registeredPracticeOds: 'Y90002', reason: 'registered at Y90002 in the same federation' };
  sendBehaviours: SendBehaviour[] = [];
  reconciliation: ReconciliationResult = { status: 'not-found' };
  /** What an earlier, completed run of the encounter left (null: this is its first run). */
  previousRun: PreviousRunSummary | null = null;
  /** Reads the earlier run for real (the worker's activity) instead of the scripted `previousRun`. */
  previousRunReader: EncounterActivities['previousRunSummary'] | undefined;
  readonly sends: (SendReportInput & { at: number })[] = [];
  readonly alerts: OperatorAlert[] = [];
  readonly eligibilityRequests: string[] = [];
  private meshIds = 0;
  private sendGate: Promise<void> | undefined;

  /** Holds every send in flight until the returned function is called (an encounter stays in `sending`). */
  holdSends(): () => void {
    let release = (): void => undefined;
    this.sendGate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.sendGate = undefined;
      release();
    };
  }

  constructor(private readonly now: () => Promise<number>) {}

  activities(): EncounterActivities {
    return {
      loadPracticeSettings: async (ods) => {
        const settings = this.settingsByPractice.get(ods) ?? DEFAULT_SETTINGS;
        return settings;
      },
      assessEligibility: async ({ requestId }) => {
        this.eligibilityRequests.push(requestId);
        return this.verdict;
      },
      reportIdentity: async ({ encounterId, version, firstBuiltAt }) => ({
        messageHeaderId: `mh-${encounterId}-${version}-${firstBuiltAt}`,
        documentIdentifier: `doc-${encounterId}-${version}-${firstBuiltAt}`,
        localId: `FR-${encounterId}-v${version}`,
      }),
      sendReport: async (input) => {
        this.sends.push({ ...input, at: await this.now() });
        await this.sendGate;
        const behaviour = this.sendBehaviours.shift() ?? 'accept';
        if (behaviour === 'permanent-failure') {
          throw ApplicationFailure.nonRetryable('MESH rejected the recipient (417, code 12)', 'MeshPermanentError');
        }
        if (behaviour === 'unknown-outcome') {
          throw ApplicationFailure.nonRetryable('connection reset after the body was sent', FAILURE_TYPES.unknownOutcome);
        }
        return { meshMessageId: `MESH-${++this.meshIds}` };
      },
      reconcileUnknownSend: async () => this.reconciliation,
      raiseAlert: async (alert) => {
        this.alerts.push(alert);
      },
      previousRunSummary: async (input) => (this.previousRunReader ? this.previousRunReader(input) : this.previousRun),
    };
  }
}

/**
 * One worker serves every scenario of a test file: an open workflow whose task queue has no worker would hold
 * the time-skipping server's clock. Each activity call is routed to the world of the workflow that made it.
 */
export function routedActivities(worldFor: (workflowId: string) => RecordingWorld): EncounterActivities {
  const route =
    <K extends keyof EncounterActivities>(name: K) =>
    (...args: Parameters<EncounterActivities[K]>): ReturnType<EncounterActivities[K]> => {
      const world = worldFor(Context.current().info.workflowExecution?.workflowId ?? '');
      const implementation = world.activities()[name] as (...a: Parameters<EncounterActivities[K]>) => ReturnType<EncounterActivities[K]>;
      return implementation(...args);
    };
  return {
    loadPracticeSettings: route('loadPracticeSettings'),
    assessEligibility: route('assessEligibility'),
    reportIdentity: route('reportIdentity'),
    sendReport: route('sendReport'),
    reconcileUnknownSend: route('reconcileUnknownSend'),
    raiseAlert: route('raiseAlert'),
    previousRunSummary: route('previousRunSummary'),
  };
}
