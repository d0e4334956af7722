/**
 * Every kind of message the ITK3 module produces, validated by HAPI FHIR against base STU3 and the NHS profiles in
 * ../shared/fhir/stu3 (when present): no errors allowed, and only the warnings docs/itk3.md lists and explains.
 * The files stay in test-results/itk3-conformance for inspection.
 */
import fs from 'node:fs';
import path from 'node:path';
import { serialiseFhir } from '../../integrations/itk3/message-format';
import { PROJECT_ROOT } from '../../tooling/paths';
import {
  DEFAULT_PROFILES_DIR,
  ensureFhirValidator,
  validateFhirFiles,
  type FileValidationResult,
  type ValidationIssue,
} from '../../tooling/fhir-validator';
import { GOLDEN_FILES } from './itk3-golden';
import { MATRIX } from './itk3-message-matrix';

// A cold build downloads the HAPI jars; a JVM start with the NHS pack takes seconds on two shared cores.
const BUILD_TIMEOUT_MS = 15 * 60_000;
const VALIDATION_TIMEOUT_MS = 5 * 60_000;
const OUT_DIR = path.join(PROJECT_ROOT, 'test-results', 'itk3-conformance');

/** Warnings that remain by design; each is explained in docs/itk3.md ("Validation warnings"). */
const KNOWN_WARNINGS: { why: string; matches: (issue: ValidationIssue) => boolean }[] = [
  {
    why: 'NHS identifier convention: system https://tools.ietf.org/html/rfc4122 with a bare UUID',
    matches: (issue) => issue.messageId === 'TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_WRONG_2',
  },
  {
    why: 'SNOMED CT is not available to the offline validator',
    matches: (issue) => /^Code '\d+' from http:\/\/snomed\.info\/sct was not checked/.test(issue.message),
  },
];

/**
 * Without ../shared/fhir/stu3 the validator checks base STU3 only and cannot resolve the NHS profiles the messages
 * declare: those "profile not found" errors are then expected, and the warnings differ from the documented ones.
 */
const NHS_PACK_PRESENT = fs.existsSync(DEFAULT_PROFILES_DIR);
const unresolvableWithoutPack = (issue: ValidationIssue): boolean =>
  !NHS_PACK_PRESENT && issue.messageId === 'Validation_VAL_Profile_Unknown';

const describeIssue = (file: string, issue: ValidationIssue): string =>
  `${path.basename(file)}:${issue.line ?? '?'} ${issue.severity} ${issue.location} ${issue.messageId ?? ''} ${issue.message}`;

describe('ITK3 conformance: produced messages against STU3 and the NHS profiles', () => {
  let results: FileValidationResult[];

  beforeAll(() => ensureFhirValidator(), BUILD_TIMEOUT_MS);

  beforeAll(async () => {
    fs.rmSync(OUT_DIR, { recursive: true, force: true });
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const files: string[] = [];
    for (const message of MATRIX) {
      const file = path.join(OUT_DIR, `${message.name}.${message.format}`);
      fs.writeFileSync(file, serialiseFhir(await message.build(), message.format));
      files.push(file);
    }
    // One JVM for all files: its start dominates the run time.
    results = await validateFhirFiles([...files, ...GOLDEN_FILES]);
  }, VALIDATION_TIMEOUT_MS);

  it('validates every matrix message and golden file', () => {
    expect(results.map((r) => path.basename(r.file))).toEqual([
      ...MATRIX.map((m) => `${m.name}.${m.format}`),
      ...GOLDEN_FILES.map((f) => path.basename(f)),
    ]);
  });

  it('finds no errors', () => {
    const errors = results.flatMap((r) =>
      r.issues
        .filter((i) => (i.severity === 'error' || i.severity === 'fatal') && !unresolvableWithoutPack(i))
        .map((i) => describeIssue(r.file, i)),
    );
    expect(errors).toEqual([]);
  });

  (NHS_PACK_PRESENT ? it : it.skip)('finds exactly the warnings docs/itk3.md explains', () => {
    const unexplained = results.flatMap((r) =>
      r.issues
        .filter((i) => i.severity === 'warning' && !KNOWN_WARNINGS.some((known) => known.matches(i)))
        .map((i) => describeIssue(r.file, i)),
    );
    expect(unexplained).toEqual([]);
    const issues = results.flatMap((r) => r.issues);
    const notSeen = KNOWN_WARNINGS.filter((known) => !issues.some((i) => known.matches(i))).map(
      (known) => known.why,
    );
    expect(notSeen).toEqual([]);
  });
});
