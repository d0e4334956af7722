/** A configuration file that cannot be used: every problem names its key path and the reason. */

export interface ConfigIssue {
  /** Dotted path into the file, e.g. `federations.exampleton.practices.Y90002.quietPeriod`. */
  key: string;
  reason: string;
}

export class ConfigError extends Error {
  constructor(
    /** The file (or other source) that was read. */
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`${source} is invalid: ${issues.map((i) => `${i.key}: ${i.reason}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}
