/**
 * The layering rules of eslint.config.mjs (docs/architecture.md) still fire: for each folder, a snippet that breaks a
 * rule is reported with that rule's message, and a snippet that keeps to the rules is not. ESLint loads its flat
 * config with a dynamic import(), which Jest's module sandbox refuses, so a child node process runs ESLint's API on
 * the snippets (no files are written) and answers the messages as JSON.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface Snippet {
  /** Where the snippet pretends to live: decides which folder's rules apply. */
  file: string;
  code: string;
}

interface LintMessage {
  ruleId: string | null;
  message: string;
  fatal: boolean;
}

/** Runs in the child: lints each snippet with the project's config, only `no-restricted-imports`, no type info. */
const LINT_SNIPPETS = `
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
const snippets = JSON.parse(fs.readFileSync(0, 'utf8'));
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});
const answers = [];
for (const { file, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: path.join(process.cwd(), file) });
  answers.push(result.messages.map((m) => ({ ruleId: m.ruleId ?? null, message: m.message, fatal: !!m.fatal })));
}
process.stdout.write(JSON.stringify(answers));
`;

function lintSnippets(snippets: Snippet[]): LintMessage[][] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_SNIPPETS], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
    timeout: 90_000,
  });
  return JSON.parse(output) as LintMessage[][];
}

/** A distinctive part of each rule's message in eslint.config.mjs. */
const RULE = {
  workflowsValueImports: 'workflows/ may import only types from activities/ and integrations/',
  workflowsProject: 'workflows/ may import only its own files and domain/',
  workflowsPackages: 'workflows/ may import only @temporalio/workflow and @temporalio/common among packages',
  workflowsNodeBuiltins: 'Workflow code must be deterministic: no Node built-ins.',
  domainProject: 'domain/ holds the pure rules and contracts every layer shares',
  domainTemporal: 'domain/ knows nothing of Temporal',
  integrationsTemporal: 'integrations/ are plain libraries that know nothing of Temporal',
  integrationsLayers: 'integrations/ must not depend on the layers that use them',
  simulatorsTooling: 'simulators/ must not import tooling/',
  activitiesOuter: 'activities/ are activity adapters the worker wires',
} as const;

const WORKFLOW = 'workflows/layering-probe.ts';
const DOMAIN = 'domain/layering-probe.ts';
const INTEGRATION = 'integrations/mesh/layering-probe.ts';
const SIMULATOR = 'simulators/receiving-practice/layering-probe.ts';
const ACTIVITY = 'activities/delivery/layering-probe.ts';

const violations: [rule: keyof typeof RULE, file: string, code: string][] = [
  [
    'workflowsValueImports',
    WORKFLOW,
    "import { createSendReportActivities } from '../activities/delivery/send-report';",
  ],
  ['workflowsValueImports', WORKFLOW, "import { lookupPatient } from '../integrations/pds/lookup';"],
  [
    'workflowsValueImports',
    WORKFLOW,
    "export { renderConsultationReport } from '../integrations/report/render-report';",
  ],
  ['workflowsProject', WORKFLOW, "import { submitConsultationSaved } from '../client/encounters';"],
  ['workflowsProject', WORKFLOW, "import type { ServerOptions } from '../common/temporal-connection';"],
  ['workflowsProject', WORKFLOW, "import { PROJECT_ROOT } from '../tooling/paths';"],
  ['workflowsPackages', WORKFLOW, "import { z } from 'zod';"],
  ['workflowsPackages', WORKFLOW, "import { Client } from '@temporalio/client';"],
  ['workflowsNodeBuiltins', WORKFLOW, "import { randomUUID } from 'node:crypto';"],
  ['workflowsNodeBuiltins', WORKFLOW, "import fs from 'fs';"],
  ['domainProject', DOMAIN, "import type { PdsLookupOutcome } from '../integrations/pds/lookup';"],
  ['domainProject', DOMAIN, "import { encounterWorkflowId } from '../workflows/encounter-identity';"],
  ['domainProject', DOMAIN, "import { createLogger } from '../common/logger';"],
  ['domainProject', DOMAIN, "import { toActivityFailure } from '../activities/failures';"],
  ['domainTemporal', DOMAIN, "import { workflowInfo } from '@temporalio/workflow';"],
  ['domainTemporal', DOMAIN, "import type { SearchAttributeKey } from '@temporalio/common';"],
  ['integrationsTemporal', INTEGRATION, "import { ApplicationFailure } from '@temporalio/common';"],
  ['integrationsTemporal', INTEGRATION, "import { heartbeat } from '@temporalio/activity';"],
  ['integrationsLayers', INTEGRATION, "import { toActivityFailure } from '../../activities/failures';"],
  [
    'integrationsLayers',
    INTEGRATION,
    "import type { EncounterActivities } from '../../workflows/encounter-activities';",
  ],
  ['integrationsLayers', INTEGRATION, "import { createActivities } from '../../worker/activities';"],
  ['integrationsLayers', INTEGRATION, "import { FedreportClient } from '../../client/sdk/fedreport-client';"],
  ['integrationsLayers', INTEGRATION, "import { startMeshSandbox } from '../../tooling/mesh-sandbox';"],
  ['integrationsLayers', INTEGRATION, "import { startPdsDouble } from '../../simulators/pds/server';"],
  ['simulatorsTooling', SIMULATOR, "import { startMeshSandbox } from '../../tooling/mesh-sandbox';"],
  ['simulatorsTooling', 'simulators/layering-probe.ts', "import { PROJECT_ROOT } from '../tooling/paths';"],
  ['activitiesOuter', ACTIVITY, "import { FedreportClient } from '../../client/sdk/fedreport-client';"],
  ['activitiesOuter', ACTIVITY, "import { createActivities } from '../../worker/activities';"],
  ['activitiesOuter', ACTIVITY, "import { PROJECT_ROOT } from '../../tooling/paths';"],
  [
    'activitiesOuter',
    'activities/layering-probe.ts',
    "import { startPdsDouble } from '../simulators/pds/server';",
  ],
];

const conforming: [folder: string, file: string, code: string][] = [
  [
    'workflows',
    WORKFLOW,
    [
      "import { proxyActivities, uuid4 } from '@temporalio/workflow';",
      "import { defineSearchAttributeKey } from '@temporalio/common';",
      "import { encounterWorkflowId } from './encounter-identity';",
      "import { parseConsultationSnapshot } from '../domain/snapshot';",
      "import type { MeshReport } from '../integrations/mesh/report-parser';",
      "import { type PdsLookupOutcome } from '../integrations/pds/lookup';",
      "export type { ActivityFailureDetails } from '../activities/failures';",
    ].join('\n'),
  ],
  [
    'domain',
    DOMAIN,
    [
      "import { z } from 'zod';",
      "import { createHash } from 'node:crypto';",
      "import { normaliseNhsNumber } from './nhs-number';",
    ].join('\n'),
  ],
  [
    'integrations',
    INTEGRATION,
    [
      "import { z } from 'zod';",
      "import { request } from 'undici';",
      "import { ValidationError } from '../../domain/validation-error';",
      "import { createMeshClient } from './client';",
      "import { parseItk3Response } from '../itk3/response-parser';",
      "import { createPdsClient } from '../pds/client';",
      "import { createLogger } from '../../common/logger';",
    ].join('\n'),
  ],
  [
    'simulators',
    SIMULATOR,
    [
      "import { MESH_SANDBOX_MAILBOX_PASSWORD } from '../mesh-sandbox-defaults';",
      "import { readSendDocumentHeader } from '../../integrations/itk3';",
      "import { createLogger } from '../../common/logger';",
      "import { normaliseNhsNumber } from '../../domain/nhs-number';",
    ].join('\n'),
  ],
  [
    'activities',
    ACTIVITY,
    [
      "import { ApplicationFailure, heartbeat } from '@temporalio/activity';",
      "import { toActivityFailure } from '../failures';",
      "import { renderConsultationReport } from '../../integrations/report/render-report';",
      "import type { EncounterActivities } from '../../workflows/encounter-activities';",
      "import { parseConsultationSnapshot } from '../../domain/snapshot';",
    ].join('\n'),
  ],
];

let answers: LintMessage[][];

beforeAll(() => {
  answers = lintSnippets([
    ...violations.map(([, file, code]) => ({ file, code })),
    ...conforming.map(([, file, code]) => ({ file, code })),
  ]);
});

const answerAt = (index: number): LintMessage[] => {
  const messages = answers[index];
  if (!messages) throw new Error(`no lint answer for snippet ${index}`);
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages;
};

describe('layering rules (eslint.config.mjs)', () => {
  it.each(violations.map((violation, index) => [...violation, index] as const))(
    '%s: %s refuses %s',
    (rule, _file, _code, index) => {
      expect(answerAt(index)).toEqual([
        expect.objectContaining({
          ruleId: 'no-restricted-imports',
          message: expect.stringContaining(RULE[rule]),
        }),
      ]);
    },
  );

  it.each(conforming.map((example, index) => [...example, violations.length + index] as const))(
    '%s: imports that keep to the rules pass (%s)',
    (_folder, _file, _code, index) => {
      expect(answerAt(index)).toEqual([]);
    },
  );
});
