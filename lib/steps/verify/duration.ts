const formats = new Map<string, Intl.NumberFormat>();

/** A number of seconds as words in the page's language ("30 seconds", "30 ثانية"), as enhance.ts writes it too. */
export function formatSeconds(seconds: number, locale: string): string {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'long' });
    formats.set(locale, format);
  }
  return format.format(seconds);
}
