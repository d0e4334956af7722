import { renderConsultationReport } from '../../../../integrations/report/render-report';
import type { ConsultationSnapshot } from '../../../../domain/snapshot';
import { receivingPractice } from './snapshots';

/** Renders with the test receiving practice, version 1 unless told otherwise. */
export function render(snapshot: ConsultationSnapshot, version = 1): Promise<Buffer> {
  return renderConsultationReport({ snapshot, version, receivingPractice });
}

/** Whitespace removed: for text that wraps differently from how it is written. */
export const squash = (text: string): string => text.replace(/\s+/g, '');
