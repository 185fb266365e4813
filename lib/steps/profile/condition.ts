/**
 * `show_when` comparisons, shared by the schema (server) and the page's script (browser): the same rule decides
 * whether a conditional field counts on both sides. Nothing here may import more than it needs: the browser loads it.
 */

/** Compares a field's current value (as posted, as an input holds it, or as the token carried it) with a `show_when.equals`. */
export function conditionHolds(equals: string | number | boolean, value: unknown): boolean {
  if (typeof equals === 'boolean') return (value === true || value === 'on' || value === 'true') === equals;
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const text = String(value).trim();
  if (typeof equals === 'number') return text !== '' && Number(text) === equals;
  // Case-insensitive, so a country code the token carries in lower case still counts.
  return text.toUpperCase() === equals.toUpperCase();
}
