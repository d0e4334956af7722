/**
 * Debian packages only the tests need (pdftotext for PDF assertions, Chromium for the Temporal UI check, PostgreSQL
 * for the archive tests). As root with apt, `npm test` installs them itself on first use; otherwise it stops with the
 * package names to install.
 */
import { spawnSync } from 'node:child_process';
import { startProgress } from './progress';
import { postgresBinDir } from './postgres-server';
import { MissingToolchainError } from './processes';

const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

const TEST_PACKAGES: { debianPackage: string; installed: () => boolean }[] = [
  { debianPackage: 'poppler-utils', installed: () => onPath('pdftotext') },
  { debianPackage: 'chromium', installed: () => onPath('chromium') },
  // Debian keeps the server binaries off PATH, under /usr/lib/postgresql/<version>/bin.
  { debianPackage: 'postgresql', installed: () => postgresBinDir() !== undefined },
];

export function ensureTestSystemPackages(): void {
  const missing = TEST_PACKAGES.filter((p) => !p.installed()).map((p) => p.debianPackage);
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    throw new MissingToolchainError(missing.join(', '), `Install the Debian package(s) ${missing.join(' ')} (the tests use them).`);
  }
  const progress = startProgress(`installing Debian package(s) ${missing.join(' ')} for the tests`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => spawnSync('apt-get', args, { env, encoding: 'utf8' });
  let result = run(['install', '-y', '-qq', ...missing]);
  if (result.status !== 0) {
    // A fresh machine's package lists may be empty or stale.
    run(['update', '-qq']);
    result = run(['install', '-y', '-qq', ...missing]);
  }
  if (result.status !== 0) {
    progress.fail('apt-get failed');
    throw new MissingToolchainError(missing.join(', '), `apt-get could not install ${missing.join(' ')}; install them by hand.`);
  }
  progress.done('installed');
}
