/**
 * What a report carries of a save, so that a save which changes none of it sends no new version (GPCM-SD-077).
 * Report-relevant: every field of the snapshot except `revision`, `savedAt` and `schemaVersion` (the save's
 * bookkeeping; `savedAt` reaches only the PDF's creation-date metadata, and a contract version carries no content), plus how the report is addressed: the registered practice, the
 * NHS number it is sent under and the spine demographics of its MESH address. Keys are sorted, so the same content
 * in another key order is the same content.
 */
import { canonicalJson } from './canonical-json';
import type { ConsultationSnapshot } from './snapshot';

export interface ReportAddressing {
  registeredPracticeOds: string;
  currentNhsNumber?: string;
  addressDemographics?: { familyName: string; birthDate: string };
}

/** Canonical JSON of the report-relevant content: equal strings, equal reports. */
export function reportRelevantContent(snapshot: ConsultationSnapshot, addressing: ReportAddressing): string {
  const { revision: _revision, savedAt: _savedAt, schemaVersion: _schemaVersion, ...content } = snapshot;
  return canonicalJson({ content, addressing });
}
