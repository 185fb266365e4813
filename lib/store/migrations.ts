import 'server-only';
import { Migrator, type Kysely, type Migration } from 'kysely';

/**
 * Versioned schema, applied in name order by Kysely's Migrator and recorded in `kysely_migration`.
 * Only the schema builder and portable types (text, not null, primary and unique keys, plain
 * indexes) appear here, so a Postgres dialect can run these same migrations. Never edit a shipped
 * migration: add the next one.
 */
export const migrations: Record<string, Migration> = {
  '0001_used_jtis': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('used_jtis')
        .addColumn('iss', 'text', (col) => col.notNull())
        .addColumn('jti', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('claimed_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('used_jtis_pkey', ['iss', 'jti'])
        .execute();
      // Pruning deletes by expiry.
      await db.schema.createIndex('used_jtis_expires_at_idx').on('used_jtis').column('expires_at').execute();
    },
  },
  '0002_consents': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('consents')
        .addColumn('sub', 'text', (col) => col.notNull())
        .addColumn('terms_version', 'text', (col) => col.notNull())
        .addColumn('locale', 'text', (col) => col.notNull())
        .addColumn('document_sha256', 'text', (col) => col.notNull())
        .addColumn('accepted_at', 'text', (col) => col.notNull())
        .addColumn('jti', 'text', (col) => col.notNull())
        .addColumn('client_ip', 'text')
        .addColumn('user_agent', 'text')
        .addUniqueConstraint('consents_jti_terms_version_key', ['jti', 'terms_version'])
        .execute();
      await db.schema.createIndex('consents_sub_idx').on('consents').column('sub').execute();
    },
  },
  '0003_rate_limits': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (col) => col.notNull().primaryKey())
        .addColumn('window_start', 'text', (col) => col.notNull())
        .addColumn('window_end', 'text', (col) => col.notNull())
        .addColumn('hits', 'integer', (col) => col.notNull())
        .execute();
      // Pruning deletes windows that have ended.
      await db.schema.createIndex('rate_limits_window_end_idx').on('rate_limits').column('window_end').execute();
    },
  },
  '0004_expiring_values': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('expiring_values')
        .addColumn('key', 'text', (col) => col.notNull().primaryKey())
        .addColumn('value', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('expiring_values_expires_at_idx').on('expiring_values').column('expires_at').execute();
    },
  },
};

/**
 * Applies every pending migration; a no-op when the schema is current. The dialect must serialise
 * concurrent runs (Postgres: Kysely's advisory lock; SQLite: see sqlite.ts) so several processes
 * starting at once migrate exactly once.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new Error('The store schema could not be migrated.', { cause: error });
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
