'use client';

import { useTranslations } from 'next-intl';

/** Field and form errors carry catalogue keys; this turns one into a sentence, falling back when unknown. */
export function useMessage() {
  const t = useTranslations();
  return (key: string | undefined, fallbackKey: string): string => {
    if (key && t.has(key as never)) return t(key as never);
    return t(fallbackKey as never);
  };
}
