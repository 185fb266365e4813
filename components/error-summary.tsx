'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, type MouseEvent } from 'react';

export interface ErrorSummaryItem {
  /** The field's id: the item links to it, and a click moves the focus into the field. */
  fieldId?: string;
  text: string;
}

/**
 * "There is a problem", at the top of a form that was refused: every error as a link to its field. It takes the
 * focus after each failed submit (`attempt` changes), so a screen reader reads it at once and a keyboard user is
 * one Tab from the first field to fix. Rendered on the server too, so a form posted without JavaScript shows it.
 */
export function ErrorSummary({ code, items, attempt }: { code: string; items: ErrorSummaryItem[]; attempt: number }) {
  const t = useTranslations('common');
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  // Focus once per attempt, as soon as the summary is on screen (not again while the person fixes fields).
  const focusedAttempt = useRef(0);
  useEffect(() => {
    if (attempt > focusedAttempt.current && ref.current) {
      focusedAttempt.current = attempt;
      ref.current.focus();
    }
  });

  if (items.length === 0) return null;
  const focusField = (event: MouseEvent<HTMLAnchorElement>, fieldId: string) => {
    const field = document.getElementById(fieldId);
    if (!field) return;
    event.preventDefault();
    // The label (or legend) sits above the input: bring it into view too, then put the caret in the field.
    (field.closest('[data-field]') ?? field).scrollIntoView({ block: 'start' });
    field.focus({ preventScroll: true });
  };
  return (
    <div ref={ref} role="alert" className="alert error-summary" data-error-code={code} data-testid="error-summary" tabIndex={-1} aria-labelledby={titleId}>
      <h2 id={titleId}>{t('error_summary_title')}</h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.fieldId ?? ''}:${item.text}`}>
            {item.fieldId ? (
              <a href={`#${item.fieldId}`} onClick={(event) => focusField(event, item.fieldId!)}>
                {item.text}
              </a>
            ) : (
              item.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The error under a field, tied to its input by `aria-describedby` (the summary above is the announced alert). */
export function FieldErrors({ id, code, messages }: { id: string; code: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="field-error" id={id} data-error-code={code}>
      {[...new Set(messages)].map((text) => (
        <p key={text}>{text}</p>
      ))}
    </div>
  );
}
