import type {
  Binary,
  Bundle,
  Composition,
  MessageHeader,
  Organization,
  Patient,
  Practitioner,
  Resource,
} from '../../../integrations/itk3/fhir-stu3-types';
import { toFhirXml } from '../../../integrations/itk3/fhir-xml-writer';
import { messageIdentity } from '../../../domain/report-identity';
import { buildSendDocumentMessage } from '../../../integrations/itk3/send-document-message';
import { ValidationError } from '../../../domain/validation-error';
import {
  FIRST_BUILT_AT,
  PREVIOUS_DOCUMENT,
  SENDER_MAILBOX,
  fixtureMessage,
  snapshotFixture,
  tinyPdf,
} from './fixtures';

const resources = (bundle: Bundle): Resource[] => (bundle.entry ?? []).map((e) => e.resource as Resource);

function parts(message: Bundle) {
  const [header, headerOrganization, document] = resources(message) as [MessageHeader, Organization, Bundle];
  const payload = resources(document);
  const of = <T extends Resource>(type: string) => payload.filter((r) => r.resourceType === type) as T[];
  return {
    header,
    headerOrganization,
    document,
    payload,
    composition: of<Composition>('Composition')[0]!,
    binaries: of<Binary>('Binary'),
    practitioner: of<Practitioner>('Practitioner')[0]!,
    organization: of<Organization>('Organization')[0]!,
    patient: of<Patient>('Patient')[0]!,
  };
}

const handling = (header: MessageHeader): Record<string, unknown> =>
  Object.fromEntries(
    (header.extension?.[0]?.extension ?? []).map((e) => [
      e.url,
      e.valueBoolean ?? e.valueString ?? e.valueCoding?.code ?? e.valueReference?.reference,
    ]),
  );

describe('Send Document message', () => {
  it('wraps the document in an ITK3 message as GP Connect Send Document defines it', async () => {
    const snapshot = snapshotFixture();
    const message = await fixtureMessage({ snapshot });
    const { header, headerOrganization, document, payload } = parts(message);
    const identity = messageIdentity(snapshot.encounterId, 1, FIRST_BUILT_AT);

    expect(message).toMatchObject({
      resourceType: 'Bundle',
      id: identity.messageBundleId,
      type: 'message',
      identifier: { value: identity.messageBundleId },
    });
    expect(resources(message).map((r) => r.resourceType)).toEqual([
      'MessageHeader',
      'Organization',
      'Bundle',
    ]);
    expect(header).toMatchObject({
      id: identity.messageHeaderId,
      event: {
        system: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2',
        code: 'ITK007C',
        display: 'ITK GP Connect Send Document',
      },
      timestamp: '2026-11-20T13:45:00.000Z',
      source: { endpoint: SENDER_MAILBOX },
      sender: { reference: `urn:uuid:${identity.headerOrganizationId}` },
      focus: [{ reference: `urn:uuid:${identity.documentBundleId}` }],
    });
    expect(header.receiver).toBeUndefined();
    expect(header.destination).toBeUndefined();
    expect(handling(header)).toEqual({
      BusAckRequested: true,
      InfAckRequested: true,
      RecipientType: 'FA',
      MessageDefinition:
        'https://fhir.nhs.uk/STU3/MessageDefinition/ITK-GPConnectSendDocument-MessageDefinition-1',
      SenderReference: snapshot.encounterId,
      LocalExtension: 'SendDocument-ConsultationReport',
    });
    expect(headerOrganization.identifier).toEqual([
      { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'Y90001' },
    ]);
    expect(document).toMatchObject({
      type: 'document',
      identifier: { system: 'https://tools.ietf.org/html/rfc4122', value: identity.documentBundleId },
    });
    expect(payload.map((r) => r.resourceType)).toEqual([
      'Composition',
      'Binary',
      'Practitioner',
      'Organization',
      'Patient',
    ]);
  });

  it('declares a profile on every resource and resolves every reference inside the message', async () => {
    const message = await fixtureMessage({
      snapshot: snapshotFixture((s) => addAttachments(s, 2)),
      version: 2,
    });
    const all = [message, ...resources(message), ...resources(parts(message).document)];
    for (const resource of all) expect(resource.meta?.profile).toHaveLength(1);
    const fullUrls = new Set(
      [...(message.entry ?? []), ...(parts(message).document.entry ?? [])].map((e) => e.fullUrl),
    );
    const references = JSON.stringify(message).match(/"reference":"urn:uuid:[^"]+"/g) ?? [];
    expect(references.length).toBeGreaterThan(6);
    for (const reference of references)
      expect(fullUrls).toContain(reference.slice('"reference":"'.length, -1));
  });

  it('describes the consultation in the Composition and the people in their CareConnect resources', async () => {
    const snapshot = snapshotFixture();
    const { composition, binaries, practitioner, organization, patient } = parts(
      await fixtureMessage({ snapshot }),
    );
    const identity = messageIdentity(snapshot.encounterId, 1, FIRST_BUILT_AT);
    expect(composition).toMatchObject({
      meta: { versionId: '1' },
      identifier: { system: 'https://tools.ietf.org/html/rfc4122', value: identity.documentIdentifier },
      status: 'final',
      type: {
        coding: [
          { system: 'http://snomed.info/sct', code: '371531000', display: 'Report of clinical encounter' },
        ],
      },
      date: '2026-11-20T13:45:00.000Z',
      title: 'Consultation report',
      confidentiality: 'N',
      section: [{ title: 'Consultation report', entry: [{ reference: `urn:uuid:${binaries[0]!.id}` }] }],
    });
    expect(composition.relatesTo).toBeUndefined();
    expect(composition.text?.div).toBe(
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>Consultation report for Eleanor Rose Whitfield, NHS Number 999 000 0018, seen at Riverside Medical Centre, ODS Code Y90001, Version 1</p></div>',
    );
    expect(binaries[0]).toMatchObject({ contentType: 'application/pdf' });
    expect(Buffer.from(binaries[0]!.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(practitioner).toMatchObject({
      identifier: [{ system: 'https://fhir.nhs.uk/Id/sds-user-id', value: '687227875014' }],
      name: [{ use: 'official', family: 'Hart', given: ['Amelia'], prefix: ['Dr'] }],
      telecom: [{ system: 'phone', value: '01632 960002', use: 'work' }],
    });
    expect(organization).toMatchObject({
      name: 'Riverside Medical Centre',
      telecom: [{ system: 'phone', value: '01632 960001' }],
    });
    expect(patient).toMatchObject({
      identifier: [
        {
          system: 'https://fhir.nhs.uk/Id/nhs-number',
          value: '9990000018',
          extension: [{ valueCodeableConcept: { coding: [{ code: '01' }] } }],
        },
      ],
      name: [{ use: 'official', family: 'Whitfield', given: ['Eleanor', 'Rose'], prefix: ['Mrs'] }],
      gender: 'female',
      birthDate: '1958-03-14',
    });
  });

  it('replaces the previous document from version 2 on', async () => {
    const { composition } = parts(await fixtureMessage({ version: 3 }));
    expect(composition.meta?.versionId).toBe('3');
    expect(composition.relatesTo).toEqual([
      {
        code: 'replaces',
        targetIdentifier: { system: 'https://tools.ietf.org/html/rfc4122', value: PREVIOUS_DOCUMENT },
      },
    ]);
    expect(composition.text?.div).toContain('Version 3');
  });

  it('sends linked documents as further sections after the report, in the order recorded', async () => {
    const { composition, binaries } = parts(
      await fixtureMessage({ snapshot: snapshotFixture((s) => addAttachments(s, 2)) }),
    );
    expect(composition.section?.map((s) => s.title)).toEqual([
      'Consultation report',
      'Attachment 1',
      'Attachment 2',
    ]);
    expect(binaries.map((b) => b.contentType)).toEqual(['application/pdf', 'image/png', 'image/png']);
    expect(composition.section?.map((s) => s.entry?.[0]?.reference)).toEqual(
      binaries.map((b) => `urn:uuid:${b.id}`),
    );
    expect(binaries[1]!.content).toBe('iVBORw0KGgpBdHRhY2htZW50IDE=');
  });

  it('leaves practice and clinician details and linked documents out of a confidential consultation', async () => {
    const snapshot = snapshotFixture((s) => {
      s.consultation.confidential = true;
      addAttachments(s, 1);
    });
    const message = await fixtureMessage({ snapshot });
    const { composition, binaries, practitioner, organization } = parts(message);
    expect(composition.confidentiality).toBe('R');
    expect(composition.text?.div).toContain(
      '<p>Consultation report for Eleanor Rose Whitfield, NHS Number 999 000 0018, Version 1</p>',
    );
    expect(binaries).toHaveLength(1);
    expect(practitioner.name).toBeUndefined();
    expect(practitioner.telecom).toBeUndefined();
    expect(practitioner.identifier).toHaveLength(1);
    expect(organization.name).toBeUndefined();
    expect(organization.telecom).toBeUndefined();
    const xml = toFhirXml(message);
    for (const text of ['Riverside', 'Hart', 'Amelia', '01632 96000', 'Attachment 1'])
      expect(xml).not.toContain(text);
  });

  it('carries no clinical note text: confidential items stay inside the PDF', async () => {
    const snapshot = snapshotFixture((s) => {
      s.consultation.sections[0]!.items[0]!.confidential = true;
    });
    const xml = toFhirXml(await fixtureMessage({ snapshot }));
    expect(xml).not.toContain('productive cough');
    expect(xml).toContain('<confidentiality value="N"/>');
  });

  it('rebuilds byte-identical XML for a retry and new ids for a new version', async () => {
    const first = toFhirXml(await fixtureMessage());
    expect(toFhirXml(await fixtureMessage())).toBe(first);
    const next = toFhirXml(await fixtureMessage({ version: 2 }));
    const uuids = (xml: string) =>
      new Set(xml.match(/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g));
    const shared = [...uuids(next)].filter((id) => uuids(first).has(id));
    expect(shared).toEqual([]);
  });

  it('names every invalid input', async () => {
    const snapshot = snapshotFixture();
    const reportPdf = await tinyPdf('x');
    const issues = (input: Partial<Parameters<typeof buildSendDocumentMessage>[0]>) => {
      try {
        buildSendDocumentMessage({
          snapshot,
          reportPdf,
          senderMailboxId: SENDER_MAILBOX,
          version: 1,
          firstBuiltAt: FIRST_BUILT_AT,
          ...input,
        });
      } catch (error) {
        if (error instanceof ValidationError) return error.issues.map((i) => i.field);
        throw error;
      }
      return [];
    };
    expect(issues({ senderMailboxId: 'mailbox with spaces', reportPdf: Buffer.from('not a pdf') })).toEqual([
      'senderMailboxId',
      'reportPdf',
    ]);
    expect(issues({ version: 2 })).toEqual(['previousDocumentIdentifier']);
    expect(issues({ version: 2, previousDocumentIdentifier: 'not-a-uuid' })).toEqual([
      'previousDocumentIdentifier',
    ]);
    expect(issues({ version: 1, previousDocumentIdentifier: PREVIOUS_DOCUMENT })).toEqual([
      'previousDocumentIdentifier',
    ]);
    expect(issues({ version: 0 })).toEqual(['version']);
  });
});

function addAttachments(input: { consultation: { attachments?: unknown[] } }, count: number): void {
  input.consultation.attachments = Array.from({ length: count }, (_, i) => ({
    id: `att-${i + 1}`,
    title: `Attachment ${i + 1}`,
    contentType: 'image/png',
    data: Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      Buffer.from(`Attachment ${i + 1}`),
    ]).toString('base64'),
  }));
}
