// Fault injection (queued, consumed per matching request) and the call log tests read from /__calls.
import { z } from 'zod';
import { isObject } from './jwt';

export const faultSchema = z.object({
  target: z.enum(['users_patch', 'oauth_token', 'users_get']),
  mode: z.enum(['429', '500', 'slow', 'refused']),
  times: z.number().int().min(1).max(1000).default(1),
  delayMs: z.number().int().min(0).max(120_000).default(5000),
  resetInSeconds: z.number().int().min(0).max(86_400).default(1),
});
export type Fault = z.infer<typeof faultSchema>;
export type FaultTarget = Fault['target'];

export class Faults {
  private queue: Fault[] = [];

  add(fault: Fault): void {
    this.queue.push({ ...fault });
  }

  /** Takes one use of the oldest fault queued for `target`. */
  take(target: FaultTarget): Fault | undefined {
    const index = this.queue.findIndex((f) => f.target === target);
    const fault = this.queue[index];
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.queue.splice(index, 1);
    return { ...fault };
  }

  pending(): Fault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  clear(): void {
    this.queue = [];
  }
}

export interface WriteRecord {
  at: string;
  method: string;
  path: string;
  body: unknown;
  status: number;
  fault?: Fault['mode'];
}

export interface OutcomeRecord {
  at: string;
  user_id: string;
  protocol: 'actions' | 'rules';
  outcome: 'redirect' | 'completed' | 'denied';
  reason?: string;
  /** The custom methods the Action recorded (api.authentication.recordMethod, trigger v3). */
  recorded_methods?: string[];
}

export class CallLog {
  writes: WriteRecord[] = [];
  tokenRequests = 0;
  logins: OutcomeRecord[] = [];
  continues: OutcomeRecord[] = [];

  reset(): void {
    this.writes = [];
    this.tokenRequests = 0;
    this.logins = [];
    this.continues = [];
  }

  toJSON() {
    return { writes: this.writes, tokenRequests: this.tokenRequests, logins: this.logins, continues: this.continues };
  }
}

/** A copy of a request body safe to log: the password never appears. */
export function redact(body: unknown): unknown {
  if (!isObject(body)) return body;
  const copy: Record<string, unknown> = structuredClone(body);
  if ('password' in copy) copy.password = '[redacted]';
  return copy;
}
