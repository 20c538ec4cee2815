// Opens the box's SQLite file with the pragmas we measured, and brings its schema up to date.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type Db = DatabaseSync;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  // WAL + NORMAL: a committed transaction survives a killed process (the WAL is in the OS cache);
  // only a power cut can lose the last commits. See docs/decisions.md.
  // wal_autocheckpoint 10000 pages (~40 MB): at 1000 the checkpoints inside COMMIT took 45-90 ms under a
  // flood and 16% of the box's time (bench/ingest.ts profile); fewer, larger checkpoints halve that.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 10000;');
  migrate(db);
  return db;
}

export function migrate(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ts INTEGER NOT NULL)');
  // Every migration not yet applied, not only those above the highest: two people may number theirs out of
  // order of landing (3 after 4), and a box that already has 4 must still get 3.
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  for (const m of MIGRATIONS.filter((m) => !applied.has(m.version))) {
    transaction(db, () => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_ts) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    });
  }
  return MIGRATIONS.at(-1)?.version ?? 0;
}

export function transaction<T>(db: Db, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** File size of the database and its WAL, for /metrics. */
export function databaseBytes(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) {
    try { total += statSync(f).size; } catch { /* not there yet */ }
  }
  return total;
}
