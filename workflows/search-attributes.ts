/**
 * Search attributes operators filter encounters by in the Temporal UI and CLI. Plaintext on the server by design,
 * so they carry no PHI: a status word, an ODS code, a time.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const REPORT_STATUS = defineSearchAttributeKey('ReportStatus', SearchAttributeType.KEYWORD);
export const PRACTICE_ODS = defineSearchAttributeKey('PracticeOds', SearchAttributeType.KEYWORD);
export const NEXT_ACTION_TIME = defineSearchAttributeKey('NextActionTime', SearchAttributeType.DATETIME);
/** MessageHeader ids of the reports sent (UUIDs): how the MESH inbox finds the encounter an ITK3 ack belongs to. */
export const REPORT_MESSAGE_IDS = defineSearchAttributeKey('ReportMessageIds', SearchAttributeType.KEYWORD_LIST);

/** Every search attribute fedreport uses: servers must register these before workflows upsert them. */
export const FEDREPORT_SEARCH_ATTRIBUTES = [REPORT_STATUS, PRACTICE_ODS, NEXT_ACTION_TIME, REPORT_MESSAGE_IDS];
