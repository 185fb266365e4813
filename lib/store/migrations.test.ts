import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDatabases } from './fixtures/temp-database';
import { migrateToLatest, migrations } from './migrations';
import { openSqliteStores } from './sqlite';

const temp = tempDatabases();
afterAll(() => temp.cleanup());

function schemaOf(path: string) {
  const raw = new Database(path, { readonly: true });
  try {
    return raw
      .prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name")
      .all() as { type: string; name: string; sql: string | null }[];
  } finally {
    raw.close();
  }
}

describe('migrations', () => {
  it('apply every version once; running them again is a no-op', async () => {
    const path = temp.nextPath();
    await (await openSqliteStores(`file:${path}`)).close();
    const first = schemaOf(path);
    expect(first.map((o) => o.name)).toEqual(
      expect.arrayContaining(['used_jtis', 'used_jtis_expires_at_idx', 'consents', 'consents_sub_idx', 'rate_limits', 'rate_limits_window_end_idx', 'kysely_migration']),
    );

    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(path) }) });
    try {
      expect(await migrateToLatest(db)).toEqual({ applied: [] });
      expect(await migrateToLatest(db)).toEqual({ applied: [] });
    } finally {
      await db.destroy();
    }
    await (await openSqliteStores(`file:${path}`)).close();
    expect(schemaOf(path)).toEqual(first);
  });

  it('report what they applied on a fresh database, in order', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      expect(await migrateToLatest(db)).toEqual({ applied: Object.keys(migrations).sort() });
    } finally {
      await db.destroy();
    }
  });
});
