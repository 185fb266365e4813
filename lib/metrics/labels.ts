import { ERROR_CODES } from '../errors';

/**
 * Label values come from fixed sets only. Anything a request could choose (a path, a claim, a header) is mapped onto
 * a known value or `other`, so no token, email, sub or URL can reach a label and no client can grow the series.
 */
const PSEUDO_STEPS = new Set(['start', 'complete', 'start_over']);
const KNOWN_CODES = new Set<string>(ERROR_CODES);
/** Names the code itself chose (operations, reasons): short snake_case identifiers. */
const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;

export const OTHER = 'other';
export const NONE = '';

/** A step id from the step registry, one of the route pseudo-steps, or `other`. */
export function stepLabel(step: string | undefined, knownSteps: ReadonlySet<string>): string {
  if (step === undefined) return NONE;
  return knownSteps.has(step) || PSEUDO_STEPS.has(step) ? step : OTHER;
}

/** Where a request was refused, from its path: /start, /complete, /start-over or a known step page. */
export function stepOfRoute(route: string, knownSteps: ReadonlySet<string>): string {
  if (route === '/start') return 'start';
  if (route === '/complete') return 'complete';
  if (route === '/start-over') return 'start_over';
  const step = /^\/steps\/([^/?#]+)$/.exec(route)?.[1];
  return step !== undefined && knownSteps.has(step) ? step : OTHER;
}

export function codeLabel(code: string | undefined): string {
  if (code === undefined) return NONE;
  return KNOWN_CODES.has(code) ? code : OTHER;
}

/** An identifier the code chose (an operation, a reason), in snake_case: `updateUser` becomes `update_user`. */
export function identifierLabel(value: unknown): string {
  if (value === undefined || value === null) return NONE;
  if (typeof value !== 'string') return OTHER;
  const snake = value.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return IDENTIFIER.test(snake) ? snake : OTHER;
}

/** An HTTP status as a label: the three digits, or `other` for anything that is not one. */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}
