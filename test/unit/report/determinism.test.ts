import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { documentInfo } from './support/pdf-text';
import { render } from './support/render';
import { exampleSnapshot, temporaryResident } from './support/snapshots';

const repoRoot = path.resolve(__dirname, '../../..');
const example = path.join(repoRoot, 'examples/consultation-temporary-resident.json');

/** The trailer /ID pair, the PDF's file identifier. */
const fileId = (pdf: Buffer): string | undefined =>
  /\/ID \[(<[0-9a-f]+> <[0-9a-f]+>)\]/.exec(pdf.toString('latin1'))?.[1];

function renderInFreshProcess(dir: string, name: string, version: number): Buffer {
  const out = path.join(dir, name);
  execFileSync(
    path.join(repoRoot, 'node_modules/.bin/tsx'),
    [path.join(__dirname, 'support/render-in-process.ts'), example, String(version), out],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return fs.readFileSync(out);
}

describe('consultation report PDF: deterministic bytes', () => {
  it('renders the same bytes in two separate processes, and the same again in this one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedreport-determinism-'));
    try {
      const first = renderInFreshProcess(dir, 'first.pdf', 1);
      const second = renderInFreshProcess(dir, 'second.pdf', 1);
      expect(second.equals(first)).toBe(true);
      expect((await render(temporaryResident())).equals(first)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('is not disturbed by rendering another report in between', async () => {
    const before = await render(temporaryResident());
    await render(exampleSnapshot('consultation-confidential.json'));
    expect((await render(temporaryResident())).equals(before)).toBe(true);
  });

  it('gives a different version different bytes and a different file id', async () => {
    const [v1, v2] = await Promise.all([render(temporaryResident(), 1), render(temporaryResident(), 2)]);
    expect(v2.equals(v1)).toBe(false);
    expect(fileId(v1)).toMatch(/^<[0-9a-f]{32}> <[0-9a-f]{32}>$/);
    expect(fileId(v2)).not.toBe(fileId(v1));
  });

  it('dates the document with the snapshot save time, not the time of rendering', async () => {
    const info = documentInfo(await render(temporaryResident()));
    expect(info).toMatchObject({
      CreationDate: '2026-11-20T10:42:00Z',
      ModDate: '2026-11-20T10:42:00Z',
      Title: 'Consultation report',
    });
  });
});
