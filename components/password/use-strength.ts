'use client';

import { useEffect, useState } from 'react';
import { estimateStrength, type StrengthEstimate } from '@/lib/steps/password/strength';

const DEBOUNCE_MS = 150;

export type StrengthState =
  | { status: 'empty' }
  | { status: 'checking' }
  | { status: 'ready'; estimate: StrengthEstimate }
  | { status: 'unavailable' };

/**
 * The zxcvbn estimate for what is typed. The first non-empty value triggers the dictionaries' download, with the
 * person's language pack (dynamic imports in lib/steps/password/strength.ts), so a page nobody types into never
 * fetches them.
 */
export function useStrength(password: string, userInputs: readonly string[], locale: string): StrengthState {
  const [result, setResult] = useState<{ for: string; estimate: StrengthEstimate | null } | null>(null);

  useEffect(() => {
    if (password === '') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      estimateStrength(password, userInputs, locale).then(
        (estimate) => {
          if (!cancelled) setResult({ for: password, estimate });
        },
        () => {
          if (!cancelled) setResult({ for: password, estimate: null });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [password, userInputs, locale]);

  if (password === '') return { status: 'empty' };
  if (result?.for !== password) return { status: 'checking' };
  return result.estimate ? { status: 'ready', estimate: result.estimate } : { status: 'unavailable' };
}
