// Rollup and retention on a real SQLite file: raw rows roll into minutes, then age out; rollups outlive them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase } from '../storage/index.ts';
import { createQueries } from './queries.ts';

const MIN = 60_000, DAY = 86_400_000;

test('rollup keeps 1-minute min/max/avg; retention drops raw after N days and rollups after M', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-q-'));
  const db = openDatabase(join(dir, 'o.db'));
  const q = createQueries(db, { rawDays: 2, rollupDays: 10 });
  const t0 = Date.UTC(2026, 10, 1, 8, 0);
  const ins = db.prepare('INSERT INTO readings (point_id, ts, value) VALUES (?, ?, ?)');
  for (let i = 0; i < 180; i++) ins.run(1, t0 + i * 1000, i % 60); // 3 minutes at 1 Hz, 0..59 each minute

  const first = q.maintain(t0 + 3 * MIN + 1);
  assert.equal(first.rolled, 3);
  const mins = db.prepare('SELECT ts, n, min, max, avg FROM readings_1m WHERE point_id = 1 ORDER BY ts').all() as { ts: number; n: number; min: number; max: number; avg: number }[];
  assert.deepEqual(mins.map((m) => [m.ts - t0, m.n, m.min, m.max, m.avg]), [[0, 60, 0, 59, 29.5], [MIN, 60, 0, 59, 29.5], [2 * MIN, 60, 0, 59, 29.5]]);
  assert.equal(first.rawDeleted, 0);

  // A short span reads raw rows; a long one reads rollups.
  assert.equal(q.series(1, t0, t0 + 3 * MIN, t0 + 3 * MIN).resolution, 'raw');
  assert.equal(q.series(1, t0, t0 + 3 * MIN, t0 + 3 * MIN).values.length, 180);
  const wide = q.series(1, t0 - DAY, t0 + 3 * MIN, t0 + 3 * MIN);
  assert.equal(wide.resolution, '1m');
  assert.deepEqual(wide.values, [29.5, 29.5, 29.5]);

  const later = q.maintain(t0 + 3 * DAY);
  assert.equal(later.rawDeleted, 180, 'raw rows older than 2 days are gone');
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM readings_1m').get() as { n: number }).n, 3, 'their rollups remain');
  const old = q.maintain(t0 + 11 * DAY);
  assert.equal(old.rollupsDeleted, 3);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
