import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { formattersKeyedByMessage } from './message-formatters';

const MESSAGE = '{n, plural, one {# Zeile} other {# Zeilen}}';

describe('formattersKeyedByMessage', () => {
  it("holds what next-intl compiled under the text alone (if next-intl stops compiling through it, this fails)", () => {
    const formatters = formattersKeyedByMessage();
    const t = createTranslator({ locale: 'de', messages: { n: MESSAGE }, timeZone: 'UTC', _formatters: formatters });
    expect(formatters.getMessageFormat).toBeUndefined();
    expect(t('n', { n: 1 })).toBe('1 Zeile');
    // Other arguments than next-intl's own: still the German message it compiled, not a new one.
    const held = formatters.getMessageFormat?.(MESSAGE, 'fr') as { resolvedOptions(): { locale: string } } | undefined;
    expect(held?.resolvedOptions().locale).toBe('de');
    expect(t('n', { n: 1200 })).toBe('1.200 Zeilen');
    expect(formatters.getMessageFormat?.(MESSAGE, 'fr')).toBe(held);
  });
});
