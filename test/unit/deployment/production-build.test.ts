/**
 * The production image runs the compiled JavaScript of `npm run build` with production dependencies only, as a
 * non-root user: the build compiles, and each compiled entry point starts and stops at its settings check with the
 * setting's name (a missing module or a TypeScript-only import would stop it earlier, with a stack trace).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../tooling/paths';

let outDir: string;
beforeAll(() => {
  // Inside the project, so the compiled files resolve packages from its node_modules as they do in the image.
  outDir = fs.mkdtempSync(path.join(PROJECT_ROOT, '.scratch-build-'));
  const tsc = require.resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  expect(build.stdout + build.stderr).toBe('');
}, 120_000);
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** Runs a compiled entry point with no fedreport settings, from a folder outside the project. */
function start(entry: string): { status: number | null; output: string } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('FEDREPORT_')),
  );
  const run = spawnSync(process.execPath, [path.join(outDir, entry)], {
    cwd: path.dirname(PROJECT_ROOT),
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

it.each([
  ['worker/main.js', 'FEDREPORT_FEDERATION_FILE: is required'],
  ['client/api/main.js', 'FEDREPORT_API_CREDENTIALS_FILE: is required'],
  ['client/codec-server/main.js', 'FEDREPORT_CODEC_SERVER_TOKENS: is required'],
])('%s starts and refuses to run without its settings, naming the first missing one', (entry, error) => {
  const { status, output } = start(entry);
  expect(output).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION/);
  expect(output).toContain(error);
  expect(status).toBe(1);
});

it('builds the workflow bundle from the compiled workflows', () => {
  const bundle = path.join(outDir, 'workflow-bundle.js');
  const run = spawnSync(process.execPath, [path.join(outDir, 'worker/bundle.js'), bundle], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(fs.readFileSync(bundle, 'utf8')).toContain('encounterWorkflow');
}, 120_000);

describe('the Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
  const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in a stage of its own and ships only dist/ and production dependencies', () => {
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(dockerfile).toContain('RUN npm run build');
    expect(runtimeStage).toContain('npm ci --omit=dev');
    expect(runtimeStage).toContain('COPY --from=build /app/dist ./dist');
    expect(runtimeStage).not.toMatch(/tsx|--include=dev|COPY \. \./);
    expect(runtimeStage).toContain('ENV FEDREPORT_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js');
  });

  it('runs node on compiled files as the node user', () => {
    expect(runtimeStage).toMatch(/^USER node$/m);
    expect(runtimeStage).toContain('ENTRYPOINT ["node"]');
    expect(runtimeStage).toMatch(/^CMD \["dist\/.+\.js"\]$/m);
  });
});
