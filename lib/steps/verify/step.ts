import 'server-only';
import { DetourError } from '../../errors';
import { maskEmail } from '../../flow/mask-email';
import { translatorFor } from '../../i18n/catalogue';
import { logger, flowLogId } from '../../log';
import { readClaims } from '../step-claims';
import type { StepContext, StepDefinition } from '../types';
import { verifyTokenClaims, type VerifyLocation } from './claims';
import { codeMail } from './code-mail';
import { checkCode, endVerification, readVerification, resendWaitSeconds, sendCode, verificationKeys, verifyCodeKey, endedError } from './code-store';
import { describeLocation } from './location';
import { sendMail } from './mailer';
import { verifyFormSchema } from './schema';
import { verifyDeployment, verifyRequirements, verifySettings } from './settings';
import { VerifyView, type VerifyPrepared } from './view';

/** The `method` of the return claim (docs/design.md); the Action records `<DETOUR_URL>/verify/email` for it on trigger v3. */
export const VERIFY_METHOD = 'email_otp';

/** What every request of the step needs: the settings, this flow's claim and address, the code store's parts. */
function verifyContext(context: StepContext) {
  const { flow, config, stores, now } = context;
  const { section, mail } = verifyDeployment(config.steps);
  const claim = readClaims(verifyTokenClaims, flow).verify;
  if (!claim) throw new DetourError('claim_invalid', 400, 'This sign-in did not say where it comes from.', { claim: 'verify', reason: 'verify_claim_missing' });
  if (!flow.email) throw new DetourError('misconfigured', 500, 'This account has no email address to send a code to.', { reason: 'email_missing' });
  const locale = config.steps.locales.supported.includes(flow.locale) ? flow.locale : config.steps.locales.default;
  const t = translatorFor(locale);
  const place = describeLocation(claim.location, locale, t('verify.list_separator'));
  const email = flow.email;
  const deliver = (code: string) =>
    sendMail(mail, email, codeMail({ t, locale, product: config.steps.branding.product_name, code, place, minutes: Math.round(section.code_ttl_seconds / 60) }));
  const store = { stores, key: verifyCodeKey(config.flowCookieKey), now, ttlSeconds: section.code_ttl_seconds };
  /** Sends a code (code-store.ts says when it may) and logs that it went, never the code or the address. */
  const send = async (first: boolean) => {
    await sendCode(store, flow, deliver);
    logger.info({ event: 'verify_code_sent', flow_id: flowLogId(flow), first }, 'verify_code_sent');
  };
  return { claim, place, send, store };
}

/** The page's state: the flow's first code is sent here, once (a claim in the jti store picks the one request). */
async function prepareVerify(context: StepContext): Promise<VerifyPrepared> {
  const { claim, place, send, store } = verifyContext(context);
  const { flow } = context;
  const base = { maskedEmail: maskEmail(flow.email ?? ''), place, reason: claim.reason };
  let record = await readVerification(store, flow);
  if (record && 'ended' in record) throw endedError(record.ended);
  let sendFailure: VerifyPrepared['sendFailure'];
  if (!record) {
    const first = await store.stores.jtiStore.claimJti({ iss: 'detour:verify-first-send', jti: verificationKeys(flow).flowId, expiresAt: new Date(flow.expires_at * 1000) });
    if (first) {
      try {
        await send(true);
      } catch (error) {
        if (!(error instanceof DetourError) || (error.code !== 'mail_unavailable' && error.code !== 'send_rate_limited')) throw error;
        sendFailure = { code: error.code, retryAfterSeconds: error.details.retryAfterSeconds };
      }
    }
    // Sent here, or by the request that won the claim (when it has finished).
    record = await readVerification(store, flow);
  }
  const pending = record && 'expiresAt' in record ? record : null;
  return { ...base, codeExpiresAt: pending ? pending.expiresAt : null, resendWait: resendWaitSeconds(pending, context.now), sendFailure };
}


/**
 * Verify it's you (docs/design.md): a six-digit code by email when the sign-in comes from somewhere new. The code
 * is kept only as an HMAC in the stores (code-store.ts); the return token says how and where it was verified.
 */
export const verifyStep: StepDefinition<typeof verifyFormSchema> = {
  id: 'verify',
  titleKey: 'verify.title',
  View: VerifyView,
  assets: { stylesheet: true, script: true },
  // A code works once: going back to a finished verification has nothing to do.
  revisitable: false,
  // A code is never echoed into a page again, kept in the flow or logged.
  secretFields: ['code'],
  tokenClaims: verifyTokenClaims,
  settings: verifySettings,
  requirements: verifyRequirements,
  formSchema: () => verifyFormSchema,
  prepare: prepareVerify,
  async persist(context, input) {
    const { claim, send, store } = verifyContext(context);
    const { flow } = context;
    if (input.intent === 'not_me') {
      await endVerification(store, flow, 'declined');
      return { end: { code: 'verification_declined', titleKey: 'verify.declined.title', bodyKey: 'verify.declined.body' } };
    }
    if (input.intent === 'resend') {
      await send(false);
      return { stay: { messageKey: 'verify.code_sent_again', params: { email: maskEmail(flow.email ?? '') } } };
    }
    const result = await checkCode(store, flow, input.code);
    if (result.ok) return { claim: verifiedClaim(claim.location, context.now) };
    if (result.ended) return { end: { code: 'code_attempts_exhausted', titleKey: 'verify.exhausted.title', bodyKey: 'verify.exhausted.body', status: 403 } };
    throw result.error;
  },
};

function verifiedClaim(location: VerifyLocation, now: Date) {
  return { method: VERIFY_METHOD, at: now.toISOString(), location };
}

