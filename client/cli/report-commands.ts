/**
 * `fedreport report render`: renders the consultation report PDF of a snapshot file, for operators checking what a
 * practice received and for reviewers of the layout. Errors are thrown typed (ValidationError names each field and
 * why); the CLI entry point prints them and exits non-zero.
 */
import fs from 'node:fs/promises';
import { Command } from 'commander';
import { renderConsultationReport } from '../../integrations/report/render-report';
import type { ResolvedSnapshot } from '../../domain/snapshot';
import { positiveInteger, readSnapshot } from './cli-inputs';

/** Shown as the receiving practice when none is given: a preview has not been through the PDS lookup. */
const PREVIEW_RECEIVING_ODS = 'UNKNOWN';

interface RenderOptions {
  snapshot: string;
  version: number;
  out: string;
  receivingOds?: string;
  receivingName?: string;
}

/**
 * The report PDF as a preview shows it: a preview has not been through the PDS lookup, so without a receiving
 * practice it names PREVIEW_RECEIVING_ODS and says so through `warn`. Shared by `report render` and `message build`.
 */
export function renderPreviewReport(
  snapshot: ResolvedSnapshot,
  options: Pick<RenderOptions, 'version' | 'receivingOds' | 'receivingName'>,
  warn: (text: string) => void,
): Promise<Buffer> {
  if (!options.receivingOds)
    warn(`warning: no --receiving-ods; the report names the receiving practice ${PREVIEW_RECEIVING_ODS}\n`);
  return renderConsultationReport({
    snapshot,
    version: options.version,
    receivingPractice: {
      odsCode: options.receivingOds ?? PREVIEW_RECEIVING_ODS,
      name: options.receivingName,
    },
  });
}

async function renderCommand(options: RenderOptions, command: Command): Promise<void> {
  const output = command.configureOutput();
  const pdf = await renderPreviewReport(await readSnapshot(options.snapshot), options, (text) =>
    output.writeErr?.(text),
  );
  await fs.writeFile(options.out, pdf);
  output.writeOut?.(`wrote ${options.out} (${pdf.length} bytes)\n`);
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
