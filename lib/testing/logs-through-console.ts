import type * as Pino from 'pino';
import { vi } from 'vitest';

/**
 * pino writes to stdout itself, past vitest's console capture, so the lines Detour logs while a test runs landed in
 * the middle of the report. Here a logger made without a destination of its own (lib/log.ts) writes through
 * console.log instead, which vitest shows only for a failing test (`silent: 'passed-only'` in vitest.config.ts).
 * The level is still LOG_LEVEL's (info by default), so redaction and serializers run as in production; tests that
 * assert on log lines pass their own destination and keep getting every line.
 */
vi.mock('pino', async (importOriginal) => {
  const actual = await importOriginal<typeof Pino>();
  const throughConsole = { write: (line: string) => console.log(line.trimEnd()) };
  const withConsoleDefault = (options?: Pino.LoggerOptions, destination?: Pino.DestinationStream) => actual.pino(options ?? {}, destination ?? throughConsole);
  const pino = Object.assign(withConsoleDefault, actual.pino);
  return { ...actual, default: pino, pino };
});
