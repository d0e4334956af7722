/**
 * The rendered PDF is larger than the configured limit (ITK3 recommends at most 5 MB per message). Sending it
 * anyway could be refused or truncated downstream, so the report is not sent and an operator must look.
 * Retrying cannot help: the same input renders the same bytes.
 */
export class ReportTooLargeError extends Error {
  constructor(
    /** Size of the rendered PDF in bytes. */
    readonly size: number,
    /** The configured maximum in bytes. */
    readonly limit: number,
  ) {
    super(`consultation report PDF is ${size} bytes, above the limit of ${limit} bytes`);
    this.name = 'ReportTooLargeError';
  }
}
