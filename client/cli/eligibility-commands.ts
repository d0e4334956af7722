/**
 * Operator commands for report eligibility:
 *   fedreport pds lookup NHS_NUMBER                      what PDS says (FEDREPORT_PDS_* variables, docs/pds.md)
 *   fedreport config check FILE                          validate a federation settings file
 *   fedreport eligibility --snapshot FILE [--federation FILE]
 * Output never repeats the patient's name or date of birth; an NHS number is shown only when PDS replaced it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { normaliseNhsNumber } from '../../domain/nhs-number';
import { parseConsultationSnapshot } from '../../domain/snapshot';
import { ValidationError } from '../../domain/validation-error';
import { formatDuration } from '../../integrations/federation/duration';
import { FEDERATION_FILE_ENV, loadFederationSettings } from '../../integrations/federation/loader';
import { practiceSettings, type FederationSettings } from '../../integrations/federation/settings';
import { createPdsClient } from '../../integrations/pds/client';
import { pdsConfigFromEnv } from '../../integrations/pds/config';
import { lookupPatient, type PdsLookupOutcome } from '../../integrations/pds/lookup';
import {
  decideBeforeLookup,
  decideEligibility,
  explainDecision,
  type EligibilityFacts,
} from '../../domain/eligibility';

export function registerEligibilityCommands(program: Command): void {
  subcommand(program, 'pds', 'Personal Demographics Service look-ups (configured by FEDREPORT_PDS_* variables)')
    .command('lookup')
    .description('Look up a patient in PDS: registered practice, security label, superseded number, death')
    .argument('<nhsNumber>', 'the NHS number (spaces allowed)')
    .option('--end-user-ods <ods>', 'ODS code sent as NHSD-End-User-Organisation-ODS')
    .action(async (nhsNumber: string, options: { endUserOds?: string }, command: Command) => {
      const outcome = await lookupWithEnvConfig(normaliseNhsNumber(nhsNumber), options.endUserOds);
      writeOut(command, `${JSON.stringify(printableOutcome(outcome), null, 2)}\n`);
    });

  subcommand(program, 'config', 'Configuration files')
    .command('check')
    .description('Validate a federation settings file; lists every problem with its key and reason')
    .argument('<file>', 'the settings file (YAML or JSON)')
    .action(async (file: string, _options: unknown, command: Command) => {
      try {
        writeOut(command, describeSettings(await loadFederationSettings(file)));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        for (const issue of error.issues) writeErr(command, `  ${issue.field}: ${issue.reason}\n`);
        throw new Error(`${file} has ${error.issues.length} problem(s)`);
      }
    });

  program
    .command('eligibility')
    .description('Decide whether a consultation snapshot needs a report, and to which practice')
    .requiredOption('--snapshot <file>', 'consultation snapshot JSON')
    .option('--federation <file>', `federation settings file (default: $${FEDERATION_FILE_ENV})`)
    .action(async (options: { snapshot: string; federation?: string }, command: Command) => {
      const snapshot = parseConsultationSnapshot(JSON.parse(await fs.readFile(options.snapshot, 'utf8')));
      const settingsFile = options.federation ?? process.env[FEDERATION_FILE_ENV];
      if (!settingsFile) throw new Error(`give --federation FILE or set ${FEDERATION_FILE_ENV}`);
      const hostingOds = snapshot.hostingPractice.odsCode;
      const facts: EligibilityFacts = {
        registrationType: snapshot.patient.registrationType,
        hostingOds,
        consultationStartedAt: snapshot.consultation.startedAt,
        hostingPractice: practiceSettings(await loadFederationSettings(settingsFile), hostingOds),
      };
      const decision =
        decideBeforeLookup(facts) ??
        decideEligibility({
          ...facts,
          pds: await lookupWithEnvConfig(snapshot.patient.nhsNumber, hostingOds),
        });
      writeOut(
        command,
        `${JSON.stringify({ ...decision, explanation: explainDecision(decision) }, null, 2)}\n`,
      );
    });
}

/** `pds` and `config` may be shared with other modules' commands: reuse the group if it exists. */
function subcommand(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

async function lookupWithEnvConfig(
  nhsNumber: string,
  endUserOds: string | undefined,
): Promise<PdsLookupOutcome> {
  const client = createPdsClient(pdsConfigFromEnv(process.env));
  const requestId = crypto.randomUUID();
  return lookupPatient(client, nhsNumber, {
    requestId,
    correlationId: `fedreport-cli-${requestId}`,
    ...(endUserOds ? { endUserOds } : {}),
  });
}

/** The lookup without the NHS number, name or birth date; the NHS number only if PDS replaced it (the operator needs the new one to fix the record). */
function printableOutcome(outcome: PdsLookupOutcome): object {
  if (outcome.status !== 'found') return outcome;
  const { nhsNumber, familyName: _familyName, birthDate: _birthDate, ...patient } = outcome.patient;
  return {
    status: outcome.status,
    ...patient,
    ...(patient.superseded ? { currentNhsNumber: nhsNumber } : {}),
  };
}

function describeSettings(settings: FederationSettings): string {
  const lines = [`OK: settings version ${settings.version}, ${settings.federations.length} federation(s)`];
  for (const federation of settings.federations) {
    lines.push(`${federation.name} (${federation.id})`);
    for (const ods of federation.memberOdsCodes) {
      const p = settings.practices[ods];
      if (!p) continue;
      const cap = p.maxTotalWaitMs === null ? 'no cap' : `cap ${formatDuration(p.maxTotalWaitMs)}`;
      const options = Object.entries(p.reportOptions)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ');
      lines.push(
        `  ${ods} ${p.name}: mailbox ${p.meshMailbox}, quiet period ${formatDuration(p.quietPeriodMs)}, ${cap}, ${options}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Commander's configured output of the root command, so tests and main.ts can redirect it. */
function output(command: Command) {
  let root = command;
  while (root.parent) root = root.parent;
  return root.configureOutput();
}

function writeOut(command: Command, text: string): void {
  (output(command).writeOut ?? ((t: string) => process.stdout.write(t)))(text);
}

function writeErr(command: Command, text: string): void {
  (output(command).writeErr ?? ((t: string) => process.stderr.write(t)))(text);
}
