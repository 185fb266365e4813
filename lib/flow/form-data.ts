/**
 * A posted form as plain values for a zod schema: a name sent once is a string, a name sent several times an
 * array (multi-selects), files are dropped, and React's own `$ACTION…` fields are left out.
 */
export function formDataToObject(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of formData) {
    if (name.startsWith('$') || typeof value !== 'string') continue;
    const existing = values[name];
    if (existing === undefined) values[name] = value;
    else values[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return values;
}
