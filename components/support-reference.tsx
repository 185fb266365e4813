/** Splits a translated "Support reference: {id}" around the id, wherever the language puts it. */
export const REFERENCE_MARKER = '\u0000';

/**
 * "Support reference: <code>id</code>" (after an optional "if this keeps happening…" line). The id is isolated
 * left-to-right, so a right-to-left page does not reorder its dashes.
 */
export function SupportReference({ hint, template, requestId }: { hint?: string; template: string; requestId: string }) {
  const [before = '', after = ''] = template.split(REFERENCE_MARKER);
  return (
    <p className="support muted small">
      {hint ? (
        <>
          {hint}
          <br />
        </>
      ) : null}
      {before}
      <code dir="ltr" data-testid="support-reference">
        {requestId}
      </code>
      {after}
    </p>
  );
}
