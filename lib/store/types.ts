import 'server-only';

/**
 * The used-jti store behind Security rule 3 in docs/design.md: a session token's jti is claimed once,
 * keyed on (iss, jti), kept past the token's expiry, durable across restarts, and failing closed.
 */
export interface JtiStore {
  /**
   * Claims (iss, jti) atomically. Resolves true for the first claim and false for every later one.
   * Rejects with DetourError `store_unavailable` when the store cannot answer; it never resolves
   * true on an error.
   */
  claimJti(input: { iss: string; jti: string; expiresAt: Date }): Promise<boolean>;
  /** Resolves when the store answers a query (for /api/ready); rejects with `store_unavailable`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One acceptance of a terms version, as the consent ledger keeps it. */
export interface ConsentRow {
  sub: string;
  termsVersion: string;
  locale: string;
  documentSha256: string;
  acceptedAt: Date;
  jti: string;
  clientIp: string | null;
  userAgent: string | null;
}

/** Table `consents`, unique on (jti, terms_version) so a retried submission adds no second row. */
export interface ConsentLedger {
  /** `inserted: false` when this (jti, termsVersion) is already recorded; that is not an error. */
  recordConsent(row: ConsentRow): Promise<{ inserted: boolean }>;
  /**
   * Rows matching every given filter, oldest acceptance first (`since` inclusive, `until` exclusive). An empty
   * filter lists every row.
   */
  listConsents(filter: { sub?: string; jti?: string; since?: Date; until?: Date }): Promise<ConsentRow[]>;
}

/**
 * Fixed-window attempt counters shared by every instance on the same store (DESIGN rule 8: password attempts per
 * flow and per user). One hit is one attempt; the store counts atomically, so racing requests cannot both slip
 * under the limit.
 */
export interface RateLimiter {
  /**
   * Counts one attempt for `key` in the current window and says whether it is within `limit`. A refused attempt
   * still counts (it does not extend the window). Rejects with DetourError `store_unavailable` when the store
   * cannot answer: it never allows on an error.
   */
  hit(key: string, options: { limit: number; windowSeconds: number; now?: Date }): Promise<RateLimitResult>;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Attempts counted in this window, this one included. */
  count: number;
  /** Whole seconds until the window ends and the count starts again (at least 1). */
  retryAfterSeconds: number;
}

/**
 * Short-lived values shared by every instance, each under a key until it expires: what a step must remember
 * between requests and never put in the flow cookie (the verify step keeps a pending code's HMAC here). A value
 * can be swapped only while it holds what the caller saw: of racing callers, exactly one wins.
 */
export interface ExpiringValues {
  /** Sets `key` to `value` until `expiresAt`, replacing whatever it held. */
  put(key: string, value: string, expiresAt: Date): Promise<void>;
  /** The value, or null when there is none or it has expired. */
  get(key: string): Promise<string | null>;
  /**
   * Replaces the value of `key` with `next`, keeping its expiry, if it still holds exactly `expected` and has not
   * expired; true for the one caller that did. A value changed meanwhile is left alone.
   */
  swap(key: string, expected: string, next: string): Promise<boolean>;
}

/** What `openStores` hands back. Callers depend on this shape only, never on a backend. */
export interface Stores {
  jtiStore: JtiStore;
  consentLedger: ConsentLedger;
  rateLimiter: RateLimiter;
  expiringValues: ExpiringValues;
  /** Pings every configured store (for /api/ready); rejects with `store_unavailable`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
