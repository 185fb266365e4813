import 'server-only';

/**
 * The used-jti store behind Security rule 3 in DESIGN.md: a session token's jti is claimed once,
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
  /** Rows matching every given filter, oldest acceptance first. An empty filter lists every row. */
  listConsents(filter: { sub?: string; jti?: string }): Promise<ConsentRow[]>;
}

/** What `openStores` hands back. Callers depend on this shape only, never on a backend. */
export interface Stores {
  jtiStore: JtiStore;
  consentLedger: ConsentLedger;
  /** Pings every configured store (for /api/ready); rejects with `store_unavailable`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
