/** The plaintext scan of a server's data files: which of some texts (patient data, a witness) occur in any file. */
import fs from 'node:fs';
import path from 'node:path';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** Which of `needles` occur, as UTF-8, in any file under `dir` (in the order given). */
export function foundInFiles(dir: string, needles: readonly string[]): string[] {
  return foundIn(filesUnder(dir), needles);
}

/** Which of `needles` occur, as UTF-8, in any of `files` (in the order given); a missing file holds nothing. */
export function foundIn(files: readonly string[], needles: readonly string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    // A server may remove a file (a finished WAL segment) while the scan runs.
    const bytes = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    for (const needle of needles) if (bytes.includes(needle)) found.add(needle);
  }
  return needles.filter((needle) => found.has(needle));
}
