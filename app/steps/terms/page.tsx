import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { FlowError } from '@/components/flow-error';
import { StepHeader } from '@/components/step-header';
import { TermsForm } from '@/components/terms-form';
import { currentTermsVersion, getConfig } from '@/lib/config';
import { readFlowForStep } from '@/lib/flow/read-flow-for-page';
import { loadTermsDocument } from '@/lib/steps/terms/document';
import { changesSince } from '@/lib/steps/terms/versions';
import { acceptTerms } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('terms');
  return { title: t('title') };
}

export default async function TermsPage() {
  const read = await readFlowForStep('terms');
  if ('error' in read) return <FlowError error={read.error} />;
  const { flow, previous } = read;
  const config = getConfig();
  const now = new Date();
  const version = currentTermsVersion(config.steps, now);
  const document = loadTermsDocument(version, flow.locale, config.steps);
  const changes = changesSince(config.steps, flow.terms_accepted_version, now);
  const t = await getTranslations();
  return (
    <>
      <StepHeader flow={flow} stepId="terms" />
      <h1>{t('terms.title')}</h1>
      <p className="muted">{t('terms.intro', { version: version.version })}</p>
      {changes.length > 0 ? (
        <section className="changes" aria-labelledby="changes-heading">
          <h2 id="changes-heading">{t('terms.changes_heading', { version: flow.terms_accepted_version ?? '' })}</h2>
          <ul>
            {changes.map((change) => (
              <li key={change.version}>
                <strong>{change.version}</strong>: {change.changes?.[flow.locale] ?? change.changes?.[config.steps.locales.default]}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section
        className="document"
        aria-label={t('terms.document_label', { version: version.version })}
        tabIndex={0}
        lang={document.locale}
        // Rendered from a markdown file with raw HTML escaped, then sanitised (lib/steps/terms/document.ts).
        dangerouslySetInnerHTML={{ __html: document.html }}
      />
      <TermsForm action={acceptTerms} version={version.version} accepted={previous !== undefined} restartUrl={config.loginRestartUrl} />
    </>
  );
}
