import type { ProfileConfig, ProfileField } from './config-schema';
import { buildFieldSchema, conditionHolds, type KnownValues, type ProfileValue } from './schema';

/** What an input holds: text, a ticked box, or the values ticked in a multi-select. */
export type FormValue = string | boolean | string[];

export interface ProfileFormPlan {
  /** The fields on the form, in the order of the steps file. */
  fields: ProfileField[];
  /** Initial input values: what the person already has, for the fields shown. */
  prefill: Record<string, FormValue>;
  /** Current values of fields that are not shown but that a shown field's condition depends on. */
  known: KnownValues;
}

export type FieldStatus = 'ok' | 'missing' | 'invalid';

/**
 * Progressive profiling: which fields this login asks. A field is asked when the token's `profile` claim lacks it
 * or holds a value its own rules refuse; required fields first, then optional ones, each in the order of the
 * steps file, at most `max_fields_per_login` of them. Fields marked `show: "always"` fill the slots left, prefilled.
 * A conditional field goes with its controlling field, or, when that one is not asked, only if the value the
 * person already has meets the condition.
 *
 * The page and the form post both call this with the same flow, so the server's schema covers exactly the
 * fields the page showed.
 */
export function planProfileForm(section: ProfileConfig, current: KnownValues = {}, options: { locale?: string; now?: Date } = {}): ProfileFormPlan {
  const now = options.now ?? new Date();
  const status = new Map(section.fields.map((field) => [field.id, fieldStatus(field, current[field.id], { locale: options.locale, now })] as const));
  const budget = section.max_fields_per_login ?? section.fields.length;
  const chosen = new Set<string>();

  const needed = section.fields.filter((field) => status.get(field.id) !== 'ok');
  let waiting = [...needed.filter((field) => field.required), ...needed.filter((field) => !field.required)];
  // A conditional field may wait for its controlling field, which can come later in this order (an optional
  // controller of a required field): go round until nothing changes.
  for (let progress = true; progress && chosen.size < budget; ) {
    progress = false;
    const stillWaiting: ProfileField[] = [];
    for (const field of waiting) {
      if (chosen.size >= budget) break;
      const decision = decide(field, chosen, status, current);
      if (decision === 'ask') {
        chosen.add(field.id);
        progress = true;
      } else if (decision === 'wait') {
        stillWaiting.push(field);
      }
    }
    waiting = stillWaiting;
  }
  for (const field of section.fields) {
    if (chosen.size >= budget) break;
    if (field.show === 'always' && !chosen.has(field.id) && decide(field, chosen, status, current) === 'ask') chosen.add(field.id);
  }

  const fields = section.fields.filter((field) => chosen.has(field.id));
  const prefill: Record<string, FormValue> = {};
  const known: KnownValues = {};
  for (const field of fields) {
    const value = current[field.id];
    if (value !== undefined) prefill[field.id] = toFormValue(field, value);
    const controller = field.show_when?.field;
    if (controller && !chosen.has(controller) && current[controller] !== undefined) known[controller] = current[controller];
  }
  return { fields, prefill, known };
}

function decide(field: ProfileField, chosen: ReadonlySet<string>, status: ReadonlyMap<string, FieldStatus>, current: KnownValues): 'ask' | 'wait' | 'skip' {
  const when = field.show_when;
  if (!when) return 'ask';
  if (chosen.has(when.field)) return 'ask';
  if (status.get(when.field) !== 'ok') return 'wait';
  return conditionHolds(when.equals, current[when.field]) ? 'ask' : 'skip';
}

/** Whether the value the token carries for a field is usable as it is. */
export function fieldStatus(field: ProfileField, value: string | number | boolean | undefined, options: { locale?: string | undefined; now: Date }): FieldStatus {
  if (value === undefined || value === '') return 'missing';
  const parsed = buildFieldSchema(field, { locale: options.locale, now: () => options.now }).safeParse(toFormValue(field, value));
  if (!parsed.success) return 'invalid';
  return parsed.data === undefined ? 'missing' : 'ok';
}

/**
 * A stored value as its input holds it. Token profile values are flat, so the Action sends a multi-select as its
 * values joined by commas.
 */
export function toFormValue(field: ProfileField, value: ProfileValue): FormValue {
  if (field.type === 'checkbox') return value === true || value === 'true';
  if (field.type === 'multi_select') {
    const values = Array.isArray(value) ? value : String(value).split(',');
    return values.map((item) => item.trim()).filter(Boolean);
  }
  return Array.isArray(value) ? value.join(',') : String(value);
}
