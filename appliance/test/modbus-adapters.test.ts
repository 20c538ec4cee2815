// Every firmware-adapters/<family>: its map is valid, and its captured frames decode to the values the peer served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { familyProblems, loadFamilies, type AdapterFamily } from '../src/modules/modbus/index.ts';
import { parseTcpAdu, parseReadRequest, parseReadResponse } from '../src/modules/modbus/frames.ts';

const ROOT = fileURLToPath(new URL('../../firmware-adapters/', import.meta.url));
const FOLDERS = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, 'map.json'))).map((d) => d.name);

test('the four families the issue asks for are there, and all load', () => {
  for (const f of ['eastron-sdm630', 'delta-vfd-e', 'xy-md02', 'witmotion-wtvb01']) assert.ok(FOLDERS.includes(f), f);
  const { families, problems } = loadFamilies(ROOT);
  assert.deepEqual(problems, []);
  assert.equal(families.size, FOLDERS.length);
});

for (const name of FOLDERS) {
  test(`${name}: map, README with its source, and captured frames decoding to the served values`, async () => {
    const map = JSON.parse(readFileSync(join(ROOT, name, 'map.json'), 'utf8')) as AdapterFamily;
    assert.deepEqual(familyProblems(map), []);
    assert.match(readFileSync(join(ROOT, name, 'README.md'), 'utf8'), /manual|datasheet|protocol/i);
    const { decode } = await import(join(ROOT, name, 'decoder.ts'));
    const fx = JSON.parse(readFileSync(join(ROOT, name, 'frames.json'), 'utf8')) as { values: Record<string, number>; frames: { request: string; response: string }[] };
    const seen: Record<string, number> = {};
    for (const f of fx.frames) {
      const req = parseReadRequest(parseTcpAdu(f.request).pdu);
      const res = parseReadResponse(parseTcpAdu(f.response).pdu, req.count);
      assert.equal(res.exception, undefined);
      const out = decode({ fc: req.fc, address: req.address, words: res.words, bits: res.bits }) as Record<string, { value: number }>;
      for (const [k, v] of Object.entries(out)) seen[k] = v.value;
    }
    for (const [k, want] of Object.entries(fx.values)) {
      assert.ok(k in seen, `${k} decoded from the frames`);
      assert.ok(Math.abs(seen[k] - want) <= 1e-4 * Math.max(1, Math.abs(want)), `${k}: ${seen[k]} != ${want}`);
    }
  });
}

test('a broken family folder is reported and skipped, not fatal', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, cpSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'outpost-adapters-'));
  try {
    cpSync(join(ROOT, 'xy-md02'), join(dir, 'xy-md02'), { recursive: true });
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'map.json'), '{"id": "broken", "registers": [{"key": "t", "table": "holding", "address": 70000, "type": "uint16"}]}');
    mkdirSync(join(dir, 'not-json'));
    writeFileSync(join(dir, 'not-json', 'map.json'), '{');
    const { families, problems } = loadFamilies(dir);
    assert.deepEqual([...families.keys()], ['xy-md02']);
    assert.equal(problems.length, 2);
    assert.match(problems.join('\n'), /address must be 0-65535/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
