/**
 * The archive's copy of one report version as it leaves: the exact bytes posted to MESH, with the ids and ODS codes
 * operators search by and the patient (sealed by the archive, never stored in clear).
 */
import type { ConsultationSnapshot } from '../../domain/snapshot';
import type { SendingCopy } from '../../integrations/store/archive-records';
import type { SendReportInput } from '../../workflows/encounter-activities';

export interface SentReport {
  /** The snapshot as sent (upgraded, with the current NHS number). */
  snapshot: ConsultationSnapshot;
  input: Pick<SendReportInput, 'version' | 'registeredPracticeOds'>;
  /** The message's Mex-LocalID (its MessageHeader id): the archive's idempotency key. */
  localId: string;
  body: Buffer;
}

export function sendingCopyOf({ snapshot, input, localId, body }: SentReport): SendingCopy {
  const { nhsNumber, name, birthDate } = snapshot.patient;
  return {
    localId,
    encounterGuid: snapshot.encounterId,
    reportVersion: input.version,
    senderOds: snapshot.hostingPractice.odsCode,
    recipientOds: input.registeredPracticeOds,
    body,
    patient: { nhsNumber, name, birthDate },
    at: new Date(),
  };
}
