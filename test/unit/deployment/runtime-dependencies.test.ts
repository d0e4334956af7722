/**
 * The runtime dependencies are exactly what production code (the folders the worker, API, codec server and CLI run
 * from) imports: nothing it imports is a dev dependency, and no test or tooling library is installed as a runtime one.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../tooling/paths';

const PRODUCTION_FOLDERS = [
  'domain',
  'workflows',
  'activities',
  'integrations',
  'common',
  'client',
  'worker',
];

/** Runtime dependencies no production file names, and why they are runtime ones all the same. */
const INDIRECT_RUNTIME_DEPENDENCIES: Record<string, string> = {
  protobufjs: 'one shared copy for @temporalio/proto; two copies break history decoding',
};

const SPECIFIER = /(?:from\s+|import\s*\(\s*|import\s+|require(?:\.resolve)?\s*\(\s*)'([^'.][^']*)'/g;

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

function packagesImportedByProduction(): Set<string> {
  const builtins = new Set(builtinModules);
  const packages = new Set<string>();
  for (const folder of PRODUCTION_FOLDERS) {
    for (const file of typeScriptFiles(path.join(PROJECT_ROOT, folder))) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
        const name = packageOf(match[1] as string);
        if (!name.startsWith('node:') && !builtins.has(name)) packages.add(name);
      }
    }
  }
  return packages;
}

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const runtime = Object.keys(manifest.dependencies);
const imported = packagesImportedByProduction();

it('production code imports only runtime dependencies', () => {
  expect([...imported].filter((name) => !runtime.includes(name))).toEqual([]);
});

it('every runtime dependency is one production code needs (test libraries such as @temporalio/testing are dev ones)', () => {
  expect(runtime.filter((name) => !imported.has(name) && !(name in INDIRECT_RUNTIME_DEPENDENCIES))).toEqual(
    [],
  );
});
