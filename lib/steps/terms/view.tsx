import 'server-only';
import { ErrorSummary, FieldErrors, StepRefusalAlert, messageOr, type ErrorSummaryItem } from '@/components/feedback';
import type { StepViewProps } from '../types';
import { loadTermsDocument } from './document';
import { readClaims } from '../step-claims';
import { termsTokenClaims } from './claims';
import { changesSince, currentTermsVersion } from './versions';

/**
 * The terms page: what changed since the version the person accepted, the document, and one box to tick, posted as
 * `accept` and `version` to /steps/terms (lib/steps/terms/step.ts refuses any other version). No script.
 */
export function TermsView({ flow, config, t, locale, state, previous, now }: StepViewProps) {
  const { steps } = config;
  const version = currentTermsVersion(steps, now);
  const document = loadTermsDocument(version, locale, steps);
  const acceptedVersion = readClaims(termsTokenClaims, flow).terms_accepted_version;
  const changed = acceptedVersion ? changesSince(steps, acceptedVersion, now) : [];
  const refused = state.status === 'error';
  // As posted after a refusal; ticked when the step was already done (back on a finished step).
  const checked = refused ? state.values?.accept === 'on' : previous !== undefined;
  const fieldKey = state.fieldErrors?.accept?.[0];
  const fieldError = fieldKey ? messageOr(t, fieldKey, 'errors.validation_failed') : null;
  const summary: ErrorSummaryItem[] = fieldError ? [{ fieldId: 'accept', text: fieldError }] : [];
  if (refused && state.code === 'validation_failed' && summary.length === 0) {
    // A refusal that names no field of this form (the terms changed while the page was open).
    summary.push({ text: messageOr(t, state.messageKey, 'errors.validation_failed') });
  }
  return (
    <>
      <h1>{t('terms.title')}</h1>
      <p className="muted">{t('terms.intro', { version: version.version })}</p>
      {acceptedVersion && changed.length > 0 ? (
        <section className="changes" aria-labelledby="changes-heading">
          <h2 id="changes-heading">{t('terms.changes_heading', { version: acceptedVersion })}</h2>
          <ul>
            {changed.map((change) => (
              <li key={change.version}>
                <strong>{change.version}</strong>: {change.changes?.[locale] ?? change.changes?.[steps.locales.default] ?? ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {/* The sanitised document (lib/steps/terms/document.ts) is the only HTML placed as it is. */}
      <section className="document" aria-label={t('terms.document_label', { version: version.version })} tabIndex={0} lang={document.locale} dangerouslySetInnerHTML={{ __html: document.html }} />
      <form method="post" action="/steps/terms" noValidate>
        <StepRefusalAlert t={t} state={state} restartUrl={config.loginRestartUrl} />
        <ErrorSummary code="validation_failed" items={summary} t={t} />
        <input type="hidden" name="version" value={version.version} />
        <div className="check" data-field="accept">
          <input id="accept" type="checkbox" name="accept" value="on" defaultChecked={checked} aria-invalid={fieldError ? true : undefined} aria-describedby={fieldError ? 'accept-error' : undefined} />
          <label htmlFor="accept">{t('terms.accept_label')}</label>
        </div>
        <FieldErrors id="accept-error" code="validation_failed" messages={fieldError ? [fieldError] : []} />
        <div className="actions">
          <button type="submit" className="button">
            {t('terms.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
