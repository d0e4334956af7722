import os from 'node:os';
import path from 'node:path';

/** The repository root (this file lives in <root>/tooling). */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * Per-user cache shared by every checkout, keyed by tool version: the cold Temporal build takes minutes,
 * so fresh clones (CI) reuse what an earlier run built. Override with FEDREPORT_CACHE_DIR.
 */
export function cacheRoot(): string {
  if (process.env.FEDREPORT_CACHE_DIR) return path.resolve(process.env.FEDREPORT_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'fedreport');
}

/** Project-local, git-ignored folder for the Python virtualenv and runtime state of the local stack. */
export const PROJECT_TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

/** NHS profiles and examples beside the repository, when present (tests may use them; runtime never needs them). */
export const SHARED_DIR = path.resolve(PROJECT_ROOT, '..', 'shared');
