import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ErrorAlert } from '@/components/error-alert';
import { FlowError } from '@/components/flow-error';
import { PasswordForm } from '@/components/password-form';
import { RefusalNextSteps } from '@/components/refusal-next-steps';
import { StepHeader } from '@/components/step-header';
import { getConfig } from '@/lib/config';
import { readFlowForStep } from '@/lib/flow/read-flow-for-page';
import { logger } from '@/lib/log';
import { passwordRulesFor } from '@/lib/steps/password/step';
import { changePassword } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('password');
  return { title: t('title') };
}

export default async function PasswordPage() {
  const read = await readFlowForStep('password');
  if ('error' in read) return <FlowError error={read.error} />;
  const { flow } = read;
  const config = getConfig();
  const t = await getTranslations();
  if (!flow.connection) {
    // Auth0 needs the database connection's name to set a password; the Action must send `connection`.
    logger.warn({ event: 'step_refused', route: '/steps/password', step: 'password', code: 'misconfigured', reason: 'connection_missing' }, 'step_refused');
    return (
      <>
        <StepHeader flow={flow} stepId="password" />
        <h1>{t('password.unavailable_title')}</h1>
        <ErrorAlert code="misconfigured">{t('password.errors.connection_missing')}</ErrorAlert>
        <RefusalNextSteps code="misconfigured" />
      </>
    );
  }
  const { policy, personal } = passwordRulesFor({ flow, config });
  return (
    <>
      <StepHeader flow={flow} stepId="password" />
      <h1>{t('password.title')}</h1>
      <p className="muted">{t('password.intro')}</p>
      <PasswordForm action={changePassword} policy={policy} personal={personal} accountEmail={flow.email} restartUrl={config.loginRestartUrl} />
    </>
  );
}
