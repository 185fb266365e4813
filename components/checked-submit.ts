'use client';

import { startTransition, type FormEvent } from 'react';

type HandleSubmit = (onValid: () => void) => (event: FormEvent<HTMLFormElement>) => Promise<void>;

/**
 * A step form's onSubmit: react-hook-form checks the step's schema first. Valid, the real form is posted through
 * the server action (a transition keeps `pending`). Refused, `onRefused` runs once react-hook-form has published
 * the errors, so the error summary renders with them in the same update and can take the focus.
 */
export function checkedSubmit(handleSubmit: HandleSubmit, post: (data: FormData) => void, onRefused: () => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    const element = event.currentTarget;
    let valid = false;
    void handleSubmit(() => {
      valid = true;
      const data = new FormData(element);
      startTransition(() => post(data));
    })(event).then(() => {
      if (!valid) onRefused();
    });
  };
}
