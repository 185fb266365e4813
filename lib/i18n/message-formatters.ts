import { _createCache, _createIntlFormatters, type createTranslator } from 'next-intl';

type Formatters = NonNullable<Parameters<typeof createTranslator>[0]['_formatters']>;
type GetMessageFormat = NonNullable<Formatters['getMessageFormat']>;

/**
 * next-intl's Intl formatters for one translator, its compiled messages kept under the message text alone.
 * next-intl keys them under JSON.stringify of every argument, the locale's date and time formats included: that
 * was three quarters of a lookup's time. One translator's locale, time zone and formats never change, so the text
 * is key enough. next-intl assigns `getMessageFormat` on first use; should a release stop doing so, lookups lose
 * the speed (message-formatters.test.ts says so), never correctness.
 */
export function formattersKeyedByMessage(): Formatters {
  const formatters: Formatters = _createIntlFormatters(_createCache());
  const compiled = new Map<Parameters<GetMessageFormat>[0], ReturnType<GetMessageFormat>>();
  let compile: GetMessageFormat | undefined;
  const compileOnce: GetMessageFormat = (message, ...rest) => {
    let format = compiled.get(message);
    if (format === undefined) compiled.set(message, (format = compile!(message, ...rest)));
    return format;
  };
  Object.defineProperty(formatters, 'getMessageFormat', {
    get: () => (compile ? compileOnce : undefined),
    set: (next: GetMessageFormat) => (compile = next),
  });
  return formatters;
}
