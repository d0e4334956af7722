/**
 * Entry points of long-running processes (API, codec server, worker): start, stop cleanly on SIGINT/SIGTERM, and on a
 * start-up failure print which setting is wrong and why (no stack for a configuration mistake), then exit non-zero.
 */
import { ValidationError } from '../domain/validation-error';

/** `start` returns the function that stops what it started. */
export function runMain(name: string, start: () => Promise<() => Promise<void>>): void {
  start()
    .then((stop) => {
      const shutdown = (): void => {
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`${name}: stopping failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((error: unknown) => {
      if (error instanceof ValidationError) {
        process.stderr.write(`${name}: ${error.subject} is invalid\n`);
        for (const issue of error.issues) process.stderr.write(`  ${issue.field}: ${issue.reason}\n`);
      } else {
        process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
      process.exit(1);
    });
}
