/**
 * `fedreport report render`: renders the consultation report PDF of a snapshot file, for operators checking what a
 * practice received and for reviewers of the layout. Errors are thrown typed (ValidationError names each field and
 * why); the CLI entry point prints them and exits non-zero.
 */
import fs from 'node:fs/promises';
import { Command } from 'commander';
import { renderConsultationReport } from '../../activities/report/render-report';
import { positiveInteger, readSnapshot } from './cli-inputs';

/** Shown as the receiving practice when none is given: a preview has not been through the PDS lookup. */
export const PREVIEW_RECEIVING_ODS = 'UNKNOWN';

interface RenderOptions {
  snapshot: string;
  version: number;
  out: string;
  receivingOds?: string;
  receivingName?: string;
}

async function renderCommand(options: RenderOptions, command: Command): Promise<void> {
  const snapshot = await readSnapshot(options.snapshot);
  if (!options.receivingOds) {
    command
      .configureOutput()
      .writeErr?.(
        `warning: no --receiving-ods; the report names the receiving practice ${PREVIEW_RECEIVING_ODS}\n`,
      );
  }
  const pdf = await renderConsultationReport({
    snapshot,
    version: options.version,
    receivingPractice: {
      odsCode: options.receivingOds ?? PREVIEW_RECEIVING_ODS,
      name: options.receivingName,
    },
  });
  await fs.writeFile(options.out, pdf);
  command.configureOutput().writeOut?.(`wrote ${options.out} (${pdf.length} bytes)\n`);
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('consultation report PDFs');
  report
    .command('render')
    .description('render the consultation report PDF of a consultation snapshot (JSON) file')
    .requiredOption('--snapshot <file>', 'consultation snapshot JSON file')
    .requiredOption(
      '--version <n>',
      'report version: 1 for the first report of the consultation',
      positiveInteger,
    )
    .requiredOption('--out <file>', 'where to write the PDF')
    .option('--receiving-ods <code>', 'ODS code of the receiving (registered) GP practice')
    .option('--receiving-name <name>', 'name of the receiving GP practice')
    .action(renderCommand);
}
