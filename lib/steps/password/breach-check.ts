import 'server-only';
import { createHash } from 'node:crypto';

/**
 * Breached-password check with the k-anonymity range query (Have I Been Pwned's Pwned Passwords API, or any
 * server speaking it): only the first five hex characters of the password's SHA-1 leave this process; the
 * answer lists every known suffix with that prefix (`SUFFIX:COUNT` per line), and the match happens here.
 *
 * It fails open (DESIGN rule 8): a timeout, a network error or an odd answer gives `unknown`, the caller logs
 * it, and the person is not blocked by somebody else's outage. Nothing derived from the password is logged.
 */

export type BreachResult = { status: 'breached' | 'not_found' } | { status: 'unknown'; reason: string };

export interface BreachCheckOptions {
  /** Ends with a slash; the five-character prefix is appended (`https://api.pwnedpasswords.com/range/`). */
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const SUFFIX_LINE = /^([0-9A-Fa-f]{35}):(\d+)$/;
const MAX_BODY_CHARS = 2_000_000;

export async function checkBreachedPassword(password: string, options: BreachCheckOptions): Promise<BreachResult> {
  const digest = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  const prefix = digest.slice(0, 5);
  const suffix = digest.slice(5);
  const doFetch = options.fetch ?? globalThis.fetch;
  let body: string;
  try {
    const response = await doFetch(`${options.baseUrl}${prefix}`, {
      method: 'GET',
      // Padding makes every answer about the same size, so the response length says nothing about the prefix.
      headers: { 'Add-Padding': 'true', Accept: 'text/plain', 'User-Agent': 'detour-password-step' },
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
      cache: 'no-store',
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { status: 'unknown', reason: `http_${response.status}` };
    }
    body = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    return { status: 'unknown', reason: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network' };
  }
  if (body.length > MAX_BODY_CHARS) return { status: 'unknown', reason: 'oversized_answer' };

  let sawLine = false;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const match = SUFFIX_LINE.exec(line);
    if (!match) return { status: 'unknown', reason: 'malformed_answer' };
    sawLine = true;
    // Padding entries carry a count of 0: not a breach.
    if (match[1]!.toUpperCase() === suffix && Number(match[2]) > 0) return { status: 'breached' };
  }
  // An empty answer is possible in principle, but a range server always knows some suffix for a prefix.
  return sawLine ? { status: 'not_found' } : { status: 'unknown', reason: 'empty_answer' };
}
