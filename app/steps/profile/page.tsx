import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { FlowError } from '@/components/flow-error';
import { ProfileForm } from '@/components/profile-form';
import { StepHeader } from '@/components/step-header';
import { getConfig } from '@/lib/config';
import { isDetourError } from '@/lib/errors';
import { readFlowForStep } from '@/lib/flow/read-flow-for-page';
import { planProfileForm, toFormValue } from '@/lib/steps/profile/plan';
import type { ProfileValue } from '@/lib/steps/profile/schema';
import { profileSection } from '@/lib/steps/profile/step';
import { profileFieldViews } from '@/lib/steps/profile/view';
import { saveProfile } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('profile');
  return { title: t('title') };
}

export default async function ProfilePage() {
  const read = await readFlowForStep('profile');
  if ('error' in read) return <FlowError error={read.error} />;
  const { flow, previous } = read;
  const config = getConfig();
  let section;
  try {
    section = profileSection(config);
  } catch (error) {
    if (isDetourError(error)) return <FlowError error={error} />;
    throw error;
  }
  const now = new Date();
  // The same plan the server action will build its schema from (lib/steps/profile/step.ts).
  const plan = planProfileForm(section, flow.profile, { locale: flow.locale, now });
  const fields = profileFieldViews(plan.fields, flow.locale, config.steps.locales.default, now);
  // Back on a finished step: what the person answered last time, over what the token said.
  const answered = (previous ?? {}) as Record<string, ProfileValue>;
  const prefill = { ...plan.prefill };
  for (const field of plan.fields) if (answered[field.id] !== undefined) prefill[field.id] = toFormValue(field, answered[field.id]!);
  const t = await getTranslations();
  return (
    <>
      <StepHeader flow={flow} stepId="profile" />
      <h1>{t('profile.title')}</h1>
      <p className="muted">{t('profile.intro')}</p>
      <ProfileForm action={saveProfile} fields={fields} prefill={prefill} known={plan.known} locale={flow.locale} restartUrl={config.loginRestartUrl} />
    </>
  );
}
