import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_PROFILES_DIR,
  ensureFhirValidator,
  openFhirValidator,
  validateFhirFiles,
  type FhirValidatorSession,
  type FileValidationResult,
  type ValidationIssue,
} from '../../tooling/fhir-validator';

// A cold build downloads the HAPI jars; a JVM start with the NHS pack takes seconds on two shared cores.
const BUILD_TIMEOUT_MS = 15 * 60_000;
const JVM_TIMEOUT_MS = 3 * 60_000;

const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);

/** 1-based line of the first line of a fixture containing text. */
function lineOf(name: string, text: string): number {
  const index = fs
    .readFileSync(fixture(name), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not in ${name}`);
  return index + 1;
}

const failures = (result: FileValidationResult): ValidationIssue[] =>
  result.issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');

beforeAll(() => ensureFhirValidator(), BUILD_TIMEOUT_MS);

describe('FHIR STU3 validator against base STU3', () => {
  const files = [
    'valid-document-bundle.xml',
    'invalid-document-bundle.xml',
    'invalid-patient.json',
    'missing.xml',
  ];
  let results: FileValidationResult[];

  beforeAll(async () => {
    results = await validateFhirFiles(files.map(fixture), { profilesDir: null });
  }, JVM_TIMEOUT_MS);

  it('answers every file in order, naming it as given', () => {
    expect(results.map((result) => result.file)).toEqual(files.map(fixture));
  });

  it('accepts a valid document Bundle (SNOMED CT coded) without errors', () => {
    const [valid] = results;
    expect(failures(valid!)).toEqual([]);
    expect(valid!.valid).toBe(true);
  });

  it('rejects an invalid code in an XML Bundle and says where', () => {
    const invalid = results[1]!;
    expect(invalid.valid).toBe(false);
    const gender = failures(invalid).find((issue) => issue.location.endsWith('.gender'));
    expect(gender).toBeDefined();
    expect(gender!.location).toMatch(/^Bundle\.entry\[1\]\.resource.*Patient.*\.gender$/);
    expect(gender!.line).toBe(lineOf('invalid-document-bundle.xml', '<gender value="woman"/>'));
    expect(gender!.column).toBeGreaterThan(0);
    expect(gender!.message).toContain('woman');
  });

  it('rejects an invalid date in a JSON resource and says where', () => {
    const invalid = results[2]!;
    expect(invalid.valid).toBe(false);
    expect(failures(invalid)).toEqual([
      expect.objectContaining({
        severity: 'error',
        location: 'Patient.birthDate',
        line: lineOf('invalid-patient.json', '"birthDate"'),
        message: expect.stringContaining('31/01/1980'),
      }),
    ]);
  });

  it('reports an unreadable file as fatal instead of failing the batch', () => {
    const missing = results[3]!;
    expect(missing.valid).toBe(false);
    expect(missing.issues).toEqual([
      expect.objectContaining({ severity: 'fatal', message: expect.stringContaining('cannot read') }),
    ]);
  });
});

const withProfiles = fs.existsSync(DEFAULT_PROFILES_DIR) ? describe : describe.skip;

withProfiles('FHIR STU3 validator with the NHS profiles from ../shared/fhir/stu3', () => {
  let session: FhirValidatorSession;

  beforeAll(async () => {
    session = await openFhirValidator();
  }, JVM_TIMEOUT_MS);

  afterAll(() => session?.close());

  it('loads StructureDefinitions, ValueSets, CodeSystems and the MessageDefinition', () => {
    expect(session.profiles).toMatchObject({
      dir: DEFAULT_PROFILES_DIR,
      counts: {
        StructureDefinition: expect.any(Number),
        ValueSet: expect.any(Number),
        CodeSystem: expect.any(Number),
        MessageDefinition: 1,
      },
    });
  });

  it('accepts a MessageHeader conforming to ITK-MessageHeader-2', async () => {
    const [result] = await session.validate([fixture('itk-messageheader-valid.xml')]);
    expect(failures(result!)).toEqual([]);
  });

  it('accepts an ITK3 message: ITK-Message-Bundle-1 around an ITK-Document-Bundle-1', async () => {
    // Fails with "not allowed by the profile" on every entry element unless the pack's ITK Bundle snapshots are repaired.
    const [result] = await session.validate([fixture('itk-message-bundle.xml')]);
    expect(failures(result!)).toEqual([]);
  });

  it('reports the ITK-MessageHeader-2 cardinality a header violates, with its location', async () => {
    const [result] = await session.validate([fixture('itk-messageheader-missing-sender.xml')]);
    expect(result!.valid).toBe(false);
    expect(failures(result!)).toEqual([
      expect.objectContaining({
        severity: 'error',
        location: 'MessageHeader',
        line: lineOf('itk-messageheader-missing-sender.xml', '<MessageHeader'),
        message: expect.stringMatching(/MessageHeader\.sender: minimum required = 1.*ITK-MessageHeader-2/),
      }),
    ]);
  });

  it('accepts a SNOMED CT code in a required SNOMED-based NHS value set with a "not checked" warning', async () => {
    const [result] = await session.validate([fixture('careconnect-patient-snomed.xml')]);
    expect(failures(result!)).toEqual([]);
    expect(result!.issues).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        location: 'Patient.extension[0].value.ofType(CodeableConcept)',
        message: expect.stringContaining('not checked'),
      }),
    );
  });
});
