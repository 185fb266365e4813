import 'server-only';
import type { Kysely } from 'kysely';
import { DetourError } from '../errors';
import { fromStoredTimestamp, toStoredTimestamp, type StoreDatabase } from './schema';
import type { ConsentLedger, ConsentRow } from './types';

function ledgerUnavailable(cause: unknown): DetourError {
  return new DetourError('store_unavailable', 503, 'We could not record your acceptance just now. Please try again shortly.', {
    cause,
  });
}

/** A ConsentLedger over any Kysely dialect whose schema comes from migrations.ts. */
export function createSqlConsentLedger(db: Kysely<StoreDatabase>): ConsentLedger {
  return {
    async recordConsent(row) {
      const acceptedAt = toStoredTimestamp(row.acceptedAt);
      try {
        // A retried submission meets the (jti, terms_version) key and inserts nothing.
        const result = await db
          .insertInto('consents')
          .values({
            sub: row.sub,
            terms_version: row.termsVersion,
            locale: row.locale,
            document_sha256: row.documentSha256,
            accepted_at: acceptedAt,
            jti: row.jti,
            client_ip: row.clientIp,
            user_agent: row.userAgent,
          })
          .onConflict((oc) => oc.columns(['jti', 'terms_version']).doNothing())
          .executeTakeFirst();
        return { inserted: result.numInsertedOrUpdatedRows === 1n };
      } catch (cause) {
        throw ledgerUnavailable(cause);
      }
    },

    async listConsents(filter) {
      try {
        let query = db.selectFrom('consents').selectAll();
        if (filter.sub !== undefined) query = query.where('sub', '=', filter.sub);
        if (filter.jti !== undefined) query = query.where('jti', '=', filter.jti);
        if (filter.since !== undefined) query = query.where('accepted_at', '>=', toStoredTimestamp(filter.since));
        if (filter.until !== undefined) query = query.where('accepted_at', '<', toStoredTimestamp(filter.until));
        const rows = await query.orderBy('accepted_at').orderBy('jti').orderBy('terms_version').execute();
        return rows.map(
          (r): ConsentRow => ({
            sub: r.sub,
            termsVersion: r.terms_version,
            locale: r.locale,
            documentSha256: r.document_sha256,
            acceptedAt: fromStoredTimestamp(r.accepted_at),
            jti: r.jti,
            clientIp: r.client_ip,
            userAgent: r.user_agent,
          }),
        );
      } catch (cause) {
        throw ledgerUnavailable(cause);
      }
    },
  };
}
