import { ReportTooLargeError } from '../../../integrations/report/errors';
import { renderConsultationReport } from '../../../integrations/report/render-report';
import { DEFAULT_MAX_REPORT_BYTES } from '../../../integrations/report/render-input';
import { receivingPractice, temporaryResident } from './support/snapshots';

describe('consultation report PDF: size limit', () => {
  const snapshot = temporaryResident();
  let size: number;
  beforeAll(async () => {
    size = (await renderConsultationReport({ snapshot, version: 1, receivingPractice })).length;
  });

  it('defaults to 5 MB', () => {
    expect(DEFAULT_MAX_REPORT_BYTES).toBe(5_000_000);
    expect(size).toBeLessThan(DEFAULT_MAX_REPORT_BYTES);
  });

  it('accepts a PDF exactly at the limit', async () => {
    await expect(
      renderConsultationReport({ snapshot, version: 1, receivingPractice, maxBytes: size }),
    ).resolves.toHaveLength(size);
  });

  it('refuses a PDF above the limit with a typed error giving size and limit', async () => {
    const rejection = renderConsultationReport({
      snapshot,
      version: 1,
      receivingPractice,
      maxBytes: size - 1,
    });
    await expect(rejection).rejects.toBeInstanceOf(ReportTooLargeError);
    await expect(rejection).rejects.toMatchObject({ name: 'ReportTooLargeError', size, limit: size - 1 });
    await expect(rejection).rejects.toThrow(
      `consultation report PDF is ${size} bytes, above the limit of ${size - 1} bytes`,
    );
  });

  it('rejects a limit that is not a positive whole number of bytes', async () => {
    await expect(
      renderConsultationReport({ snapshot, version: 1, receivingPractice, maxBytes: 0 }),
    ).rejects.toMatchObject({
      issues: [{ field: 'maxBytes', reason: 'must be positive' }],
    });
  });
});
