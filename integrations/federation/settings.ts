/**
 * Federation settings as the rest of the service uses them: every practice resolved to its effective settings
 * (defaults and federation-level report options applied) and looked up by ODS code. Plain data, so it can cross
 * into workflow code as an activity result.
 */
import {
  DEFAULT_REPORT_OPTIONS,
  type HostingPracticeSettings,
  type ReportOptions,
} from '../../domain/eligibility';
import type { FilingSettings } from '../../domain/document-filing';
import type { FederationFile } from './schema';

export interface FederationSummary {
  id: string;
  name: string;
  memberOdsCodes: string[];
}

export interface PracticeSettings extends HostingPracticeSettings {
  odsCode: string;
  name: string;
  meshMailbox: string;
  quietPeriodMs: number;
  /** null: no cap on the total wait (the default). */
  maxTotalWaitMs: number | null;
  federation: FederationSummary;
  reportOptions: ReportOptions;
  /** How documents the practice receives through fedreport are acknowledged. */
  receiving: FilingSettings;
}

export interface FederationSettings {
  version: 1;
  federations: FederationSummary[];
  /** Every practice of every federation, by ODS code. */
  practices: Record<string, PracticeSettings>;
}

export function resolveFederationSettings(file: FederationFile): FederationSettings {
  const federations: FederationSummary[] = [];
  const practices: Record<string, PracticeSettings> = {};
  for (const [id, federation] of Object.entries(file.federations)) {
    const summary = { id, name: federation.name, memberOdsCodes: Object.keys(federation.practices) };
    federations.push(summary);
    for (const [odsCode, practice] of Object.entries(federation.practices)) {
      practices[odsCode] = {
        odsCode,
        name: practice.name,
        meshMailbox: practice.meshMailbox,
        quietPeriodMs: practice.quietPeriod,
        maxTotalWaitMs: practice.maxTotalWait ?? null,
        federation: summary,
        receiving: {
          mode: practice.receiving.acknowledge,
          unfiledAlertAfterMs: practice.receiving.unfiledAlertAfter,
        },
        reportOptions: {
          ...DEFAULT_REPORT_OPTIONS,
          ...withoutUnset(federation.reportOptions),
          ...withoutUnset(practice.reportOptions),
        },
      };
    }
  }
  return { version: file.version, federations, practices };
}

/** The practice's settings, or null when it is in no federation. */
export function practiceSettings(settings: FederationSettings, odsCode: string): PracticeSettings | null {
  return settings.practices[odsCode] ?? null;
}

/** Drops options a file left unset so they do not overwrite an inherited value with undefined. */
function withoutUnset(options: Partial<ReportOptions>): Partial<ReportOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
