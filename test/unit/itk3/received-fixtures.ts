/**
 * The specification examples (test/conformance/fixtures/send-document) as the receiver's tests use them: raw bytes,
 * and a JSON form a test can break in one place and serialise again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readFhir } from '../../../integrations/itk3/message-format';

const DIR = path.resolve(__dirname, '../../conformance/fixtures/send-document');

export const SPEC_EXAMPLES = {
  v15: 'gpconnect-messaging-1.5.0-consultation-report.xml',
  generic: 'simplifier-send-document-generic-example.xml',
  v121: 'gpconnect-messaging-1.2.1-federated-consultation-report.xml',
} as const;

/** The re-addressed patient (simulators/pds/patients.ts: registered at Y90002). */
export const EXAMPLE_NHS_NUMBER = '9990000018';

export function exampleBytes(file: string): Buffer {
  return fs.readFileSync(path.join(DIR, file));
}

/**
 * The example as FHIR JSON after `edit`. Plain JSON.stringify: the project's serialisers know only the resource types
 * fedreport sends, and the examples carry others (Observation).
 */
export function editedExample(file: string, edit: (message: any) => void): Buffer {
  const message = readFhir(exampleBytes(file));
  edit(message);
  return Buffer.from(JSON.stringify(message));
}

/** The document Bundle's entries (Composition payload) or the payload collection's (Task payload). */
export const payloadEntries = (message: any): any[] => message.entry[2].resource.entry;
