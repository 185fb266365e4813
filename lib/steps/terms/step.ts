import 'server-only';
import { DetourError } from '../../errors';
import type { StepDefinition } from '../types';
import { loadTermsDocument } from './document';
import { termsTokenClaims } from './claims';
import { termsSchema } from './schema';
import { termsSection, termsSettings } from './settings';
import { currentTermsVersion, termsRequirements } from './versions';
import { TermsView } from './view';

/**
 * Terms of service: record the acceptance in Auth0 (`app_metadata`) and in the consent ledger, then hand the
 * version and time back in the return token (DESIGN "Management API writes").
 */
export const termsStep: StepDefinition<typeof termsSchema> = {
  id: 'terms',
  titleKey: 'terms.title',
  tokenClaims: termsTokenClaims,
  settings: termsSettings,
  requirements: termsRequirements,
  View: TermsView,
  formSchema: () => termsSchema,
  async persist(context, input) {
    const version = currentTermsVersion(context.config.steps, context.now);
    if (input.version !== version.version) {
      // The page showed another version than the one in force now (terms changed mid-flow, or a tampered field).
      throw new DetourError('validation_failed', 400, 'The terms have changed since this page was opened. Please read them again.', {
        claim: 'version',
        reason: 'version_changed',
      });
    }
    const document = loadTermsDocument(version, context.flow.locale, context.config.steps);
    const acceptedAt = context.now.toISOString();
    if (termsSection(context.config.steps).persist === 'management_api') {
      await context.managementApi.updateUser(context.flow.sub, {
        app_metadata: { terms_accepted_version: version.version, terms_accepted_at: acceptedAt },
      });
    }
    await context.consentLedger.recordConsent({
      sub: context.flow.sub,
      termsVersion: version.version,
      locale: document.locale,
      documentSha256: document.sha256,
      acceptedAt: context.now,
      jti: context.flow.jti,
      clientIp: context.request.clientIp,
      userAgent: context.request.userAgent,
    });
    return {
      claim: { version: version.version, accepted_at: acceptedAt },
      writtenByAction: termsSection(context.config.steps).persist === 'action',
    };
  },
};
