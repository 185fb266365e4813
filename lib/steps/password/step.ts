import 'server-only';
import { DetourError } from '../../errors';
import { logger } from '../../log';
import type { FormSchemaContext, StepDefinition } from '../types';
import { readClaims } from '../step-claims';
import { authorizeAgainTarget } from './authorize-again';
import { passwordTokenClaims } from './claims';
import { enforceAttemptLimits } from './attempt-limits';
import { passwordChangeError } from './auth0-errors';
import { checkBreachedPassword } from './breach-check';
import { passwordConfigOf, passwordConfigSchema } from './config-schema';
import { personalInfoOf, policyFromConfig } from './policy';
import { passwordFormSchema, type PasswordFormSchema } from './schema';
import { estimateStrength } from './strength';
import { PasswordView } from './view';

/** The policy and the words the password must avoid, for this person, from the steps file and the token. */
export function passwordRulesFor({ flow, config }: FormSchemaContext) {
  const settings = passwordConfigOf(config.steps);
  return { settings, policy: policyFromConfig(settings), personal: personalInfoOf(flow) };
}

export function connectionMissing(): DetourError {
  return new DetourError('misconfigured', 500, 'The sign-in did not say which database connection holds this password.', {
    reason: 'connection_missing',
  });
}

/**
 * Change password (DESIGN rule 8, "Management API writes"): the form schema has already checked the rules that
 * need no dictionary; here, in order, the attempt limits, the zxcvbn score, the breached-password check, then
 * `PATCH /users/{sub}` with `{password, connection}`. The password is never logged, never put in the flow cookie
 * or a token: the return token only learns when it changed.
 */
export const passwordStep: StepDefinition<PasswordFormSchema> = {
  id: 'password',
  titleKey: 'password.title',
  View: PasswordView,
  // The live checklist, show/hide, the strength meter and the check before posting (enhance.ts); its layout (styles.css).
  assets: { script: true, stylesheet: true },
  // Going back to a finished password step would only set the password again (and hit Auth0's history rule).
  revisitable: false,
  tokenClaims: passwordTokenClaims,
  settings: { schema: passwordConfigSchema },
  secretFields: ['password', 'confirm_password', 'current_password'],
  // A Rule's legacy force-password-change: a new /authorize at the tenant instead of /continue (authorize-again.ts).
  handBackRedirect: (flow, config) => authorizeAgainTarget({ ...readClaims(passwordTokenClaims, flow), completed: flow.completed }, config),
  formSchema: (context) => {
    const { policy, personal } = passwordRulesFor(context);
    return passwordFormSchema(policy, personal);
  },
  async persist(context, input) {
    const { flow } = context;
    const { settings, personal } = passwordRulesFor(context);
    const { connection } = readClaims(passwordTokenClaims, flow);
    if (!connection) throw connectionMissing();

    // Every attempt that gets this far counts, whatever its outcome: each one can reach zxcvbn, the range API and Auth0.
    await enforceAttemptLimits(context.stores.rateLimiter, flow, settings.rate_limit, context.now);

    if (settings.min_score > 0) {
      const { score } = await estimateStrength(input.password, personal, flow.locale);
      if (score < settings.min_score) {
        throw new DetourError('password_policy', 400, 'The new password is too easy to guess.', { reason: 'too_weak' });
      }
    }

    if (settings.breach_check.enabled) {
      const result = await checkBreachedPassword(input.password, {
        baseUrl: settings.breach_check.base_url,
        timeoutMs: settings.breach_check.timeout_ms,
      });
      if (result.status === 'breached') {
        throw new DetourError('password_policy', 400, 'The new password appears in a known data breach.', { reason: 'breached' });
      }
      if (result.status === 'unknown') {
        // Fails open (DESIGN rule 8): someone else's outage must not lock people out of their login.
        logger.warn({ event: 'breach_check_skipped', reason: result.reason, range_host: new URL(settings.breach_check.base_url).host }, 'breach_check_skipped');
      }
    }

    try {
      await context.managementApi.updateUser(flow.sub, { password: input.password, connection });
    } catch (error) {
      throw passwordChangeError(error);
    }
    // The time Auth0 confirmed the change, not when the attempt began (retries can take seconds).
    return { claim: { changed_at: new Date().toISOString() }, writtenByAction: false };
  },
};
