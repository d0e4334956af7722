import fs from 'node:fs';
import { parseItk3Response } from '../../integrations/itk3/response-parser';
import { GOLDEN, goldenContents } from './itk3-golden';

describe('ITK3 golden messages', () => {
  it.each(Object.keys(GOLDEN) as (keyof typeof GOLDEN)[])('%s is produced byte for byte', async (key) => {
    const produced = (await goldenContents())[key];
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN[key], produced);
    expect(produced).toBe(fs.readFileSync(GOLDEN[key], 'utf8'));
  });

  it('the golden acknowledgement answers the golden message', () => {
    const ack = parseItk3Response(fs.readFileSync(GOLDEN.infrastructureAck));
    expect(fs.readFileSync(GOLDEN.sendDocument, 'utf8')).toContain(
      `<id value="${ack.originalMessageHeaderId}"/>`,
    );
    expect(ack).toMatchObject({ kind: 'infrastructure', code: '20013', positive: true });
  });
});
