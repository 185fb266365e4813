import { NUMBER } from './field-rules';

/**
 * What the page's script checks in one field before posting, and the sentence for each problem, as the server
 * writes it into the field's `data-checks` (JSON). The browser gets no catalogue: every sentence comes from here.
 * The server's schema stays the judge; these checks only spare a round trip for the mistakes they can see.
 */
export interface FieldChecks {
  messages: Partial<Record<CheckName, string>>;
  /** A number field (a text input, see profile-field.tsx): the rules the browser cannot check natively. */
  number?: { min?: number; max?: number; integer: boolean };
  /** A multi-select: how many boxes may be ticked (`required`: at least one). */
  selected?: { min?: number; max?: number; required: boolean };
  /** A phone field: the region numbers without a country code are read in ('' for none). */
  phoneRegion?: string;
}

/** The browser's own constraint checks, in the order the server reports them (required first). */
export const VALIDITY_CHECKS = ['valueMissing', 'badInput', 'typeMismatch', 'tooLong', 'tooShort', 'patternMismatch', 'rangeUnderflow', 'rangeOverflow'] as const;
export type ValidityCheck = (typeof VALIDITY_CHECKS)[number];
export type CustomCheck = 'notANumber' | 'notWholeNumber' | 'numberTooSmall' | 'numberTooLarge' | 'tooFewSelected' | 'tooManySelected' | 'invalidPhone';
export type CheckName = ValidityCheck | CustomCheck;

/** The number rules of the schema (schema.ts, `number`), on the trimmed text of the input. */
export function numberProblem(text: string, rule: NonNullable<FieldChecks['number']>): CustomCheck | null {
  const value = text.trim();
  if (value === '') return null;
  if (!NUMBER.test(value)) return 'notANumber';
  const number = Number(value);
  if (rule.integer && !Number.isInteger(number)) return 'notWholeNumber';
  if (rule.min !== undefined && number < rule.min) return 'numberTooSmall';
  if (rule.max !== undefined && number > rule.max) return 'numberTooLarge';
  return null;
}

/** The multi-select rules of the schema (`multi_select`), on the number of boxes ticked. */
export function selectedProblem(count: number, rule: NonNullable<FieldChecks['selected']>): CheckName | null {
  if (rule.required && count === 0) return 'valueMissing';
  if (rule.min !== undefined && count > 0 && count < rule.min) return 'tooFewSelected';
  if (rule.max !== undefined && count > rule.max) return 'tooManySelected';
  return null;
}
