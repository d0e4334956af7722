import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheRoot } from './paths';
import { startProgress } from './progress';
import { requireCommand } from './processes';
import { TOOL_VERSIONS } from './versions';

/** Flags that make the JVM start fast enough for the SDK's 5-second ephemeral-server start limit. */
const FAST_START_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss1m', '-Xmx512m'];

function testServerDir(): string {
  return path.join(cacheRoot(), `temporal-test-server-${TOOL_VERSIONS.temporalTestServer}`);
}

/** The `exec` wrapper the SDK launches as `<path> <port> [--enable-time-skipping]`. */
export function testServerWrapperPath(): string {
  return path.join(testServerDir(), 'temporal-test-server');
}

function pomFor(version: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>fedreport.tooling</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`;
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-3000)}`);
}

/**
 * Collects the Java time-skipping test server's classpath from Maven Central once per version, writes the
 * exec wrapper and a class-data-sharing archive (made by one throw-away start) that cuts JVM start time.
 */
export async function ensureTestServer(): Promise<string> {
  const wrapper = testServerWrapperPath();
  if (fs.existsSync(wrapper)) return wrapper;
  requireCommand('java', 'Install a JDK 17 (e.g. Debian package openjdk-17-jdk-headless).');
  requireCommand('mvn', 'Install Maven (Debian package maven).');
  const dir = testServerDir();
  const staging = `${dir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const progress = startProgress(`fetching Temporal test server ${TOOL_VERSIONS.temporalTestServer} from Maven`);
  try {
    fs.writeFileSync(path.join(staging, 'pom.xml'), pomFor(TOOL_VERSIONS.temporalTestServer));
    await run('mvn', ['-B', '-q', 'dependency:copy-dependencies', '-DoutputDirectory=lib'], staging);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
    // The archive records the exact classpath, so it is made in the final folder with the wrapper's classpath.
    const classpath = fs
      .readdirSync(path.join(dir, 'lib'))
      .filter((f) => f.endsWith('.jar'))
      .sort()
      .map((jar) => path.join(dir, 'lib', jar))
      .join(':');
    progress.update('creating the class-data-sharing archive');
    await createCdsArchive(classpath, path.join(dir, 'server.jsa'));
    const flags = [...FAST_START_FLAGS, `-XX:SharedArchiveFile=${path.join(dir, 'server.jsa')}`, '-Xshare:auto', '-Xlog:cds=off,cds+dynamic=off'];
    fs.writeFileSync(
      path.join(dir, 'temporal-test-server.partial'),
      `#!/bin/sh\n# exec: the SDK kills this pid; without exec the JVM would outlive it and hold the pipes open.\nexec java ${flags.join(' ')} -cp ${classpath} io.temporal.testserver.TestServer "$@"\n`,
      { mode: 0o755 },
    );
    fs.renameSync(path.join(dir, 'temporal-test-server.partial'), wrapper);
  } catch (error) {
    progress.fail('failed');
    throw error;
  }
  progress.done(wrapper);
  return wrapper;
}

/** Starts the server once with -XX:ArchiveClassesAtExit, lets it load its classes, then stops it so the JVM dumps. */
async function createCdsArchive(classpath: string, archive: string): Promise<void> {
  const child = spawn(
    'java',
    [...FAST_START_FLAGS, `-XX:ArchiveClassesAtExit=${archive}`, '-cp', classpath, 'io.temporal.testserver.TestServer', '0'],
    { stdio: 'ignore' },
  );
  await new Promise((r) => setTimeout(r, 6000));
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('close', resolve));
}
