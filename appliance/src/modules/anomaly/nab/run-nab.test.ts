// The NAB runner as an operator runs it: a NAB-layout folder in, NAB result files and the score line out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('./run-nab.ts', import.meta.url));
const stamp = (i: number) => new Date(Date.UTC(2014, 3, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');

test('a folder with one spiked series: results in NAB layout with labels, and the score as the last line', () => {
  const root = mkdtempSync(join(tmpdir(), 'outpost-nab-'));
  try {
    mkdirSync(join(root, 'data', 'synthetic'), { recursive: true });
    const rows = ['timestamp,value'];
    for (let i = 0; i < 2000; i++) rows.push(`${stamp(i)},${(i === 1500 ? 200 : 50 + 10 * Math.sin(i / 20) + ((i * 7919) % 13) / 13).toFixed(3)}`);
    writeFileSync(join(root, 'data', 'synthetic', 'spike.csv'), rows.join('\n') + '\n');
    // A window of 100 rows centred on the spike, as NAB's labeller would make it.
    const labels = join(root, 'windows.json');
    writeFileSync(labels, JSON.stringify({ 'synthetic/spike.csv': [[`${stamp(1450)}.000000`, `${stamp(1549)}.000000`]] }));

    const out = execFileSync(process.execPath, [CLI, '--data', join(root, 'data'), '--out', join(root, 'out'), '--labels', labels], { encoding: 'utf8' });
    const last = out.trim().split('\n').at(-1)!;
    const m = /^NAB standard score: (-?[\d.]+)$/.exec(last);
    assert.ok(m, last);
    // Found halfway into the window with no false positive: (0.85979 + 1) / 2 of the way from null to perfect.
    assert.ok(Number(m[1]) > 90, last);

    const result = readFileSync(join(root, 'out', 'outpost', 'synthetic', 'outpost_spike.csv'), 'utf8').trim().split('\n');
    assert.equal(result[0], 'timestamp,value,anomaly_score,label');
    assert.equal(result.length, 2001);
    assert.match(result[1501], /^2014-04-06 05:00:00,200,[\d.]+,1$/);
    assert.ok(Number(result[1501].split(',')[2]) > 0.5);
    assert.equal(result[1].split(',')[3], '0');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
