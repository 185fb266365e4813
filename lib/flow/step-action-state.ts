import type { ErrorCode } from '../errors';

/** What a refused step submission hands back to the step's view, which shows the form again with it. */
export interface StepActionState {
  /** `notice`: the step stayed on its page and says why (`messageKey`, `messageParams`): nothing went wrong. */
  status: 'idle' | 'error' | 'notice';
  code?: ErrorCode;
  /** A message-catalogue key for the form-level alert, when more specific than `errors.<code>`. */
  messageKey?: string;
  messageParams?: Record<string, string | number>;
  /** Field name → message-catalogue keys (or sentences) for that field. */
  fieldErrors?: Record<string, string[]>;
  /** What the person sent, so the re-rendered form keeps it (secrets are never echoed). */
  values?: Record<string, string | string[]>;
  requestId?: string;
  retryAfterSeconds?: number;
}

export const IDLE_STATE: StepActionState = { status: 'idle' };
