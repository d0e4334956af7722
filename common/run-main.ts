/**
 * Entry points. Long-running processes (API, codec server, worker): start, stop cleanly on SIGINT/SIGTERM, and on a
 * start-up failure print which setting is wrong and why (no stack for a configuration mistake), then exit non-zero.
 * Commands that end by themselves (benchmarks, chaos, FHIR validation): exit with the code they return.
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

/** Runs a command to its end and exits with its code; a thrown error is reported by `onError`, which gives the code. */
export function runCommand(
  main: () => Promise<number>,
  onError: (error: unknown) => number = (error) => {
    console.error(error);
    return 1;
  },
): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = onError(error);
    },
  );
}
