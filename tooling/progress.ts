/**
 * Progress lines for long bootstrap steps. On a TTY one line is rewritten in place; elsewhere (CI logs)
 * a line is printed every `intervalMs` so the log shows that work is moving.
 */
export interface Progress {
  update(detail: string): void;
  done(summary: string): void;
  fail(summary: string): void;
}

export function startProgress(title: string, intervalMs = 15_000): Progress {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let detail = '';
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)}s`;
  const render = (): void => {
    const line = `  ${title} … ${elapsed()}${detail ? ` (${detail})` : ''}`;
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  };
  process.stderr.write(`▶ ${title}\n`);
  const timer = setInterval(render, tty ? 500 : intervalMs);
  timer.unref();
  const finish = (mark: string, summary: string): void => {
    clearInterval(timer);
    if (tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${mark} ${title}: ${summary} [${elapsed()}]\n`);
  };
  return {
    update: (d) => {
      detail = d;
    },
    done: (s) => finish('✔', s),
    fail: (s) => finish('✘', s),
  };
}
