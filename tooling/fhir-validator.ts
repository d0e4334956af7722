/**
 * FHIR STU3 validation on HAPI FHIR (tooling/fhir-validator, Java): builds the validator into the per-user cache
 * once, then validates XML/JSON files against base STU3 and, when present, the NHS profiles in ../shared/fhir/stu3.
 * See docs/fhir-validation.md.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import { cacheRoot, PROJECT_ROOT, SHARED_DIR } from './paths';
import { requireCommand } from './processes';
import { startProgress } from './progress';
import { TOOL_VERSIONS } from './versions';

const SOURCE_DIR = path.join(PROJECT_ROOT, 'tooling', 'fhir-validator');
const MAIN_CLASS = 'uk.fedreport.validator.Main';
const JDK_HINT = 'Install a Java 17+ JDK (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless).';
const MAVEN_HINT = 'Install Apache Maven 3.6+ (Debian/Ubuntu: apt-get install maven).';
/** Quick start matters more than peak speed: a run validates a handful of small messages. */
const JVM_OPTIONS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** The NHS conformance pack beside the repository, used when it exists. */
export const DEFAULT_PROFILES_DIR = path.join(SHARED_DIR, 'fhir', 'stu3');

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface ValidationIssue {
  severity: IssueSeverity;
  /** FHIRPath-like location, e.g. `Bundle.entry[0].resource/*MessageHeader/…*\/.event`. */
  location: string;
  line?: number;
  column?: number;
  message: string;
  /** HAPI's message key (e.g. `Validation_VAL_Profile_Minimum`), for filtering known issues. */
  messageId?: string;
}

export interface FileValidationResult {
  /** The path as the caller passed it. */
  file: string;
  /** No issue of severity error or fatal. */
  valid: boolean;
  issues: ValidationIssue[];
}

export interface ValidateOptions {
  /**
   * Folder of NHS conformance resources (any depth, .xml/.json). Default: ../shared/fhir/stu3 when it exists
   * (its absence is noted on stderr); null: base STU3 only.
   */
  profilesDir?: string | null;
}

/** What the validator loaded from the profiles folder. */
export interface LoadedProfiles {
  dir: string;
  /** Resources loaded, by resource type. */
  counts: Record<string, number>;
  /** Problems the pack itself has (unresolved dependencies, repairs made on load). */
  warnings: string[];
}

/** One validator JVM kept running: many validate() calls pay its start-up (~2-5 s) once. */
export interface FhirValidatorSession {
  /** null when validating against base STU3 only. */
  readonly profiles: LoadedProfiles | null;
  validate(files: string[]): Promise<FileValidationResult[]>;
  close(): Promise<void>;
}

/** The validator could not be built, started, or broke its output protocol. */
export class FhirValidatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FhirValidatorError';
  }
}

const issueSchema = z.object({
  severity: z.enum(['fatal', 'error', 'warning', 'information']),
  location: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
  messageId: z.string().optional(),
});

const protocolSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    profilesLoaded: z.record(z.number().int()).optional(),
    profileWarnings: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('result'), file: z.string(), issues: z.array(issueSchema) }),
]);
type ProtocolMessage = z.infer<typeof protocolSchema>;

let building: Promise<{ classpathDir: string }> | undefined;

/**
 * Builds the validator once per (HAPI version, sources): copies the runtime jars with Maven and compiles the
 * sources with javac into <cache>/fhir-validator-<version>-<hash>/{lib,classes}. Later calls only check the folder.
 */
export function ensureFhirValidator(): Promise<{ classpathDir: string }> {
  building ??= build().catch((error: unknown) => {
    building = undefined; // let a later call retry, e.g. after the JDK was installed
    throw error;
  });
  return building;
}

async function build(): Promise<{ classpathDir: string }> {
  requireCommand('java', JDK_HINT);
  const sources = listJavaSources();
  const classpathDir = path.join(
    cacheRoot(),
    `fhir-validator-${TOOL_VERSIONS.hapiFhir}-${sourceHash(sources)}`,
  );
  if (fs.existsSync(path.join(classpathDir, '.complete'))) return { classpathDir };

  requireCommand('javac', JDK_HINT);
  requireCommand('mvn', MAVEN_HINT);
  const progress = startProgress(`Building the FHIR validator (HAPI FHIR ${TOOL_VERSIONS.hapiFhir})`);
  // Built beside the target and renamed into place, so a concurrent or interrupted build never leaves half a folder.
  const staging = `${classpathDir}.tmp-${process.pid}`;
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    progress.update('fetching jars with Maven');
    await run('mvn', [
      '-B',
      '-q',
      '-f',
      path.join(SOURCE_DIR, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${path.join(staging, 'lib')}`,
      `-Dhapi.version=${TOOL_VERSIONS.hapiFhir}`,
    ]);
    progress.update('compiling');
    await run('javac', [
      '--release',
      '17',
      '-encoding',
      'UTF-8',
      '-nowarn',
      '-d',
      path.join(staging, 'classes'),
      '-cp',
      path.join(staging, 'lib', '*'),
      ...sources,
    ]);
    fs.writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
    try {
      fs.renameSync(staging, classpathDir);
    } catch (error) {
      if (!fs.existsSync(path.join(classpathDir, '.complete'))) throw error;
      fs.rmSync(staging, { recursive: true, force: true }); // another process finished first
    }
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    progress.fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    throw error;
  }
  progress.done(path.basename(classpathDir));
  return { classpathDir };
}

function listJavaSources(): string[] {
  const root = path.join(SOURCE_DIR, 'src', 'main', 'java');
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.java'))
    .map((name) => path.join(root, name))
    .sort();
}

/** Hash of the pom and the Java sources: editing either yields a new cache folder. */
function sourceHash(sources: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const file of [path.join(SOURCE_DIR, 'pom.xml'), ...sources]) {
    hash.update(path.relative(SOURCE_DIR, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** Runs a build step; fails with the tail of its output. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: SOURCE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = new OutputTail();
    child.stdout.on('data', (chunk: Buffer) => output.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.add(chunk));
    child.on('error', (error) =>
      reject(new FhirValidatorError(`${command} could not start: ${error.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new FhirValidatorError(`${command} failed (${signal ?? `exit ${code}`}):\n${output.text()}`));
    });
  });
}

/** Keeps the last few KB of a process's output for error messages. */
class OutputTail {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly limit = 16_384) {}
  add(chunk: Buffer | string): void {
    const text = chunk.toString();
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    return this.chunks.join('').slice(-this.limit).trimEnd();
  }
}

/** Profile folders whose load report this process has already printed. */
const reportedProfileDirs = new Set<string>();

function resolveProfilesDir(option: string | null | undefined): string | null {
  if (option === null) return null;
  if (option === undefined) {
    if (fs.existsSync(DEFAULT_PROFILES_DIR)) return DEFAULT_PROFILES_DIR;
    if (!reportedProfileDirs.has(DEFAULT_PROFILES_DIR)) {
      reportedProfileDirs.add(DEFAULT_PROFILES_DIR);
      process.stderr.write(
        `fhir-validator: no NHS profiles at ${path.relative(process.cwd(), DEFAULT_PROFILES_DIR)}; validating against base STU3 only\n`,
      );
    }
    return null;
  }
  const dir = path.resolve(option);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new FhirValidatorError(`profiles folder not found: ${option}`);
  }
  return dir;
}

/** Starts one validator JVM; resolves once the validator and the profiles are loaded. */
export async function openFhirValidator(options: ValidateOptions = {}): Promise<FhirValidatorSession> {
  const profilesDir = resolveProfilesDir(options.profilesDir);
  const { classpathDir } = await ensureFhirValidator();
  const classpath = [path.join(classpathDir, 'classes'), path.join(classpathDir, 'lib', '*')].join(
    path.delimiter,
  );
  const args = [
    ...JVM_OPTIONS,
    '-cp',
    classpath,
    MAIN_CLASS,
    ...(profilesDir ? ['--profiles', profilesDir] : []),
  ];
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr = new OutputTail();
  child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));

  const pending: {
    file: string;
    absolute: string;
    resolve: (r: FileValidationResult) => void;
    reject: (e: Error) => void;
  }[] = [];
  let ready:
    | { resolve: (m: Extract<ProtocolMessage, { type: 'ready' }>) => void; reject: (e: Error) => void }
    | undefined;
  let failure: FhirValidatorError | undefined;
  const fail = (error: FhirValidatorError): void => {
    failure ??= error;
    ready?.reject(failure);
    for (const request of pending.splice(0)) request.reject(failure);
  };
  const exited = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      fail(
        new FhirValidatorError(`the validator JVM exited (${signal ?? `exit ${code}`}):\n${stderr.text()}`),
      );
      resolve();
    });
  });
  child.on('error', (error) => fail(new FhirValidatorError(`java could not start: ${error.message}`)));
  child.stdin.on('error', () => undefined); // a dead JVM is reported by 'close' with its stderr

  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const parsed = protocolSchema.safeParse(safeJson(line));
    if (!parsed.success) {
      fail(new FhirValidatorError(`unexpected validator output: ${line.slice(0, 500)}`));
      child.kill();
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      ready?.resolve(message);
      return;
    }
    const request = pending[0];
    if (!request || request.absolute !== message.file) {
      fail(
        new FhirValidatorError(
          `validator answered for ${message.file}, expected ${request?.absolute ?? 'nothing'}`,
        ),
      );
      child.kill();
      return;
    }
    pending.shift();
    request.resolve({
      file: request.file,
      valid: !message.issues.some((issue) => issue.severity === 'error' || issue.severity === 'fatal'),
      issues: message.issues,
    });
  });

  const loaded = await new Promise<Extract<ProtocolMessage, { type: 'ready' }>>((resolve, reject) => {
    ready = { resolve, reject };
  }).finally(() => {
    ready = undefined;
  });
  const profiles = profilesDir
    ? { dir: profilesDir, counts: loaded.profilesLoaded ?? {}, warnings: loaded.profileWarnings ?? [] }
    : null;
  if (profiles) reportProfiles(profiles);

  return {
    profiles,
    validate(files) {
      return Promise.all(
        files.map(
          (file) =>
            new Promise<FileValidationResult>((resolve, reject) => {
              const absolute = path.resolve(file);
              if (failure) return reject(failure);
              if (/[\r\n]/.test(absolute)) {
                return reject(
                  new FhirValidatorError(
                    `file names with line breaks are not supported: ${JSON.stringify(file)}`,
                  ),
                );
              }
              pending.push({ file, absolute, resolve, reject });
              child.stdin.write(`${absolute}\n`);
            }),
        ),
      );
    },
    async close() {
      child.stdin.end(); // EOF ends the JVM's read loop
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Validates the files in one JVM start (XML or JSON, detected from the content), in the order given. */
export async function validateFhirFiles(
  files: string[],
  options: ValidateOptions = {},
): Promise<FileValidationResult[]> {
  if (files.length === 0) return [];
  const session = await openFhirValidator(options);
  try {
    return await session.validate(files);
  } finally {
    await session.close();
  }
}

function reportProfiles(profiles: LoadedProfiles): void {
  if (reportedProfileDirs.has(profiles.dir)) return;
  reportedProfileDirs.add(profiles.dir);
  const total = Object.values(profiles.counts).reduce((sum, n) => sum + n, 0);
  const lines = [
    `fhir-validator: ${total} NHS conformance resources from ${path.relative(process.cwd(), profiles.dir) || '.'}` +
      (profiles.warnings.length ? `, ${profiles.warnings.length} load warnings:` : ''),
    ...profiles.warnings.map((warning) => `  - ${warning}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
