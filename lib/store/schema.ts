import 'server-only';

/**
 * The Kysely view of Detour's tables, shared by every SQL backend (migrations.ts creates them).
 *
 * Timestamps are stored as ISO 8601 UTC text of fixed width (`2026-11-01T08:00:00.000Z`), as Kysely
 * does for its own migration table: every dialect and driver round-trips text unchanged, the text
 * sorts in time order (so `expires_at < ?` is a correct comparison), and the consent ledger stays
 * readable to whoever audits it with plain SQL.
 */
export interface StoreDatabase {
  used_jtis: UsedJtiTable;
  consents: ConsentTable;
  rate_limits: RateLimitTable;
  expiring_values: ExpiringValueTable;
}

/** A short-lived value (types.ts ExpiringValues), gone for readers once `expires_at` has passed. */
export interface ExpiringValueTable {
  key: string;
  value: string;
  expires_at: string;
}

export interface UsedJtiTable {
  iss: string;
  jti: string;
  expires_at: string;
  claimed_at: string;
}

export interface ConsentTable {
  sub: string;
  terms_version: string;
  locale: string;
  document_sha256: string;
  accepted_at: string;
  jti: string;
  client_ip: string | null;
  user_agent: string | null;
}

/** One fixed window per key: `hits` attempts counted since `window_start`, until `window_end`. */
export interface RateLimitTable {
  key: string;
  window_start: string;
  window_end: string;
  hits: number;
}

const STORED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Only years 0000–9999 keep the fixed width that makes text order equal time order. */
export function toStoredTimestamp(date: Date): string {
  const text = Number.isNaN(date.getTime()) ? '' : date.toISOString();
  if (!STORED_TIMESTAMP.test(text)) {
    throw new TypeError('A stored timestamp must be a valid date between the years 0000 and 9999.');
  }
  return text;
}

export function fromStoredTimestamp(text: string): Date {
  return new Date(text);
}
