// Durability: every QoS 1 reading the box acknowledged is in SQLite after the box is SIGKILLed right after the PUBACK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { createInterface } from 'node:readline';
import { tempDir, connectDevice, topic } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./fixtures/box-child.ts', import.meta.url));

test('no acknowledged QoS 1 reading is lost when the process is SIGKILLed right after PUBACK', async () => {
  const { dir, cleanup } = tempDir();
  // A 20 ms group-commit window: a box that acknowledged before committing would lose the ~20 readings in it.
  const child = spawn(process.execPath, [CHILD, dir, '20'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: child.stdout! }), 'line') as [string];
  const { mqttPort } = JSON.parse(line) as { mqttPort: number };

  const dev = await connectDevice(mqttPort, 'd1');
  dev.on('error', () => {}); // the broker vanishes mid-stream; that is the point
  const base = Date.now() - 60_000;
  const acked: number[] = [];
  const TOTAL = 20_000;
  const KILL_AFTER = 1_500;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const send = (i: number) =>
      // Distinct device timestamps identify each reading in the database afterwards.
      dev.publish(topic('d1'), JSON.stringify({ ts: base + i, values: { temp: i % 100 } }), { qos: 1 }, (err) => {
        if (err) return;
        acked.push(base + i);
        if (acked.length === KILL_AFTER) { child.kill('SIGKILL'); clearInterval(timer); resolve(); }
      });
    // A burst first, then a steady stream so that a commit window is always open when the kill lands.
    for (; sent < 1000; sent++) send(sent);
    const timer = setInterval(() => { for (let k = 0; k < 5 && sent < TOTAL; k++) send(sent++); }, 1);
  });
  await once(child, 'exit');
  dev.end(true);

  const db = new DatabaseSync(join(dir, 'outpost.db'));
  const stored = new Set((db.prepare("SELECT r.ts FROM readings r JOIN points p ON p.id = r.point_id WHERE p.device_id = 'd1' AND p.key = 'temp'").all() as { ts: number }[]).map((r) => r.ts));
  db.close();
  const lost = acked.filter((ts) => !stored.has(ts));
  assert.ok(acked.length >= KILL_AFTER, `acknowledged ${acked.length}`);
  assert.ok(stored.size < TOTAL, 'the kill landed mid-stream (otherwise this test proves nothing)');
  assert.deepEqual(lost, [], `${lost.length} acknowledged readings were lost`);
  cleanup();
});
