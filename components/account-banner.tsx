import { getTranslations } from 'next-intl/server';
import { maskEmail } from '@/lib/flow/mask-email';

/** Whose account this step completes, with a way out when it is the wrong one. */
export async function AccountBanner({ email, name }: { email?: string | undefined; name?: string | undefined }) {
  const t = await getTranslations('common');
  const account = email ? maskEmail(email) : (name ?? '');
  return (
    <div className="account">
      {account ? <span data-testid="account">{t('signing_in_as', { account })}</span> : <span />}
      <form method="post" action="/start-over">
        <button type="submit" className="linklike">
          {t('not_you')}
        </button>
      </form>
    </div>
  );
}
