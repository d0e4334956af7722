/**
 * Search attributes operators filter encounters by in the Temporal UI and CLI. Plaintext on the server by design,
 * so they carry no PHI: a status word, an ODS code, a time.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const REPORT_STATUS = defineSearchAttributeKey('ReportStatus', SearchAttributeType.KEYWORD);
export const PRACTICE_ODS = defineSearchAttributeKey('PracticeOds', SearchAttributeType.KEYWORD);
export const NEXT_ACTION_TIME = defineSearchAttributeKey('NextActionTime', SearchAttributeType.DATETIME);

/** `--search-attribute` values for `temporal server start-dev`, which registers them at start. */
export const DEV_SERVER_SEARCH_ATTRIBUTES = ['ReportStatus=Keyword', 'PracticeOds=Keyword', 'NextActionTime=Datetime'];
