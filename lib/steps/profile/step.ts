import 'server-only';
import { DetourError, isDetourError } from '../../errors';
import { sealFlow } from '../../flow/flow-cookie';
import { markCompleted, type FlowState } from '../../flow/flow-state';
import type { StepDefinition } from '../types';
import type { ProfileField } from './config-schema';
import { planProfileForm } from './plan';
import { buildProfileSchema, type ProfileSchema, type ProfileValue, type ProfileValues } from './schema';
import { readClaims } from '../step-claims';
import { profileTokenClaims } from './claims';
import { profileRequirements, profileSection, profileSettings } from './section';
import { ProfileView } from './view';

export { profileSection };

/** Room left in the flow cookie for the claims of the steps after this one (a password step's `changed_at`). */
const LATER_STEPS_RESERVE = 'x'.repeat(200);

/**
 * Complete profile: the fields this login asks (lib/steps/profile/plan.ts), written in one Management API PATCH
 * (root attributes at the top level, the rest under `user_metadata`, which Auth0 merges at the first level so
 * other keys stay), and handed back in the return token's `profile` claim (DESIGN "Management API writes").
 */
export const profileStep: StepDefinition<ProfileSchema> = {
  id: 'profile',
  titleKey: 'profile.title',
  tokenClaims: profileTokenClaims,
  settings: profileSettings,
  requirements: profileRequirements,
  View: ProfileView,
  assets: { script: true, stylesheet: true },
  formSchema({ flow, config }) {
    const plan = planProfileForm(profileSection(config), readClaims(profileTokenClaims, flow).profile, { locale: flow.locale });
    return buildProfileSchema(plan.fields, { locale: flow.locale, known: plan.known });
  },
  async persist(context, input) {
    const section = profileSection(context.config);
    // The claim waits in the flow cookie until /complete: refuse before writing anything if it cannot fit.
    await assertFitsInFlowCookie(context.flow, input);
    if (section.persist === 'management_api') {
      const body = managementApiPatch(section.fields, input);
      if (Object.keys(body).length > 0) await context.managementApi.updateUser(context.flow.sub, body);
    }
    return { claim: input, writtenByAction: section.persist === 'action' };
  },
};

/** The one PATCH body for the whole form: root attributes at the top level, every other answer in `user_metadata`. */
export function managementApiPatch(fields: readonly ProfileField[], values: ProfileValues): Record<string, unknown> {
  const targets = new Map(fields.map((field) => [field.id, field.target] as const));
  const body: Record<string, unknown> = {};
  const metadata: Record<string, ProfileValue> = {};
  for (const [id, value] of Object.entries(values)) {
    const target = targets.get(id);
    if (target === 'root') body[id] = value;
    else if (target === 'user_metadata') metadata[id] = value;
  }
  if (Object.keys(metadata).length > 0) body.user_metadata = metadata;
  return body;
}

/** Seals the flow as it will be after this step, under a throwaway key, to learn whether the cookie can hold it. */
async function assertFitsInFlowCookie(flow: FlowState, claim: ProfileValues): Promise<void> {
  const after: FlowState = {
    ...flow,
    completed: markCompleted(flow, 'profile'),
    results: { ...flow.results, profile: claim, later_steps: LATER_STEPS_RESERVE },
    written_by_action: [...new Set([...(flow.written_by_action ?? []), 'profile'])],
  };
  try {
    await sealFlow(after, crypto.getRandomValues(new Uint8Array(32)));
  } catch (error) {
    if (!isDetourError(error) || error.details.reason !== 'flow_too_large') throw error;
    throw new DetourError('validation_failed', 400, 'These answers are too long to save together.', { reason: 'too_much_data' });
  }
}
