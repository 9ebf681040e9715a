/** Progress goes to stderr: stdout carries only the JSON report. */
export const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

export const ms = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${Math.round(value)} ms`;

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
