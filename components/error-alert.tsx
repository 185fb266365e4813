import type { ReactNode } from 'react';

/** Every error a person sees sits in a `role="alert"` element carrying its stable code (DESIGN "How refusals look"). */
export function ErrorAlert({ code, children, id }: { code: string; children: ReactNode; id?: string }) {
  return (
    <div role="alert" className="alert" data-error-code={code} id={id} tabIndex={-1}>
      <p>{children}</p>
    </div>
  );
}
