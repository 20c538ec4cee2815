// Modbus polling: points/s read from the pymodbus TCP peer with block coalescing, beside naive one-register-per-request reads, in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway, planReads, planNaive, decodePoint, loadFamilies, type RegisterPoint, type ReadBlock } from '../appliance/src/modules/modbus/index.ts';
import { startPeer, unitFromFamily, freePort } from '../appliance/test/modbus-peer.ts';
import { printTable, fmt } from './lib/harness.ts';

/** Seconds per turn; the two strategies alternate turns so a burst from another tenant of this shared box hits both. */
const TURN_S = Number(process.env.BENCH_TURN_S ?? 2);
const TURNS = Number(process.env.BENCH_TURNS ?? 3);

const { families } = loadFamilies(fileURLToPath(new URL('../firmware-adapters/', import.meta.url)));
const sdm = families.get('eastron-sdm630')!;
const wtv = families.get('witmotion-wtvb01')!;

interface Case { name: string; unit: number; registers: RegisterPoint[] }
const CASES: Case[] = [
  { name: `SDM630 meter, ${sdm.registers.length} float32 points`, unit: 1, registers: sdm.registers },
  { name: `WTVB01 vibration, ${wtv.registers.length} uint16 points`, unit: 2, registers: wtv.registers },
];

const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-modbus-'));
const port = await freePort();
const peer = await startPeer(dir, { units: { '1': unitFromFamily(sdm), '2': unitFromFamily(wtv) } }, { tcp: port });
const gw = createGateway({ transport: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 2000 });

/** Polls the plan back to back for `seconds`: every point read and decoded once per poll. */
async function run(c: Case, blocks: ReadBlock[], seconds: number): Promise<{ points: number; requests: number; secs: number }> {
  let points = 0, requests = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (const b of blocks) {
      const data = await gw.read(c.unit, b);
      requests++;
      for (const i of b.points) { const p = c.registers[i]; decodePoint(p, (data as number[]).slice(p.address - b.address)); points++; }
    }
  }
  return { points, requests, secs: (performance.now() - t0) / 1000 };
}

const rows: (string | number)[][] = [];
for (const c of CASES) {
  const plans = { coalesced: planReads(c.registers, { maxGap: 8 }), naive: planNaive(c.registers) };
  await run(c, plans.coalesced, 0.3); // warm the connection and the JIT
  const tot = { coalesced: { points: 0, requests: 0, secs: 0 }, naive: { points: 0, requests: 0, secs: 0 } };
  let peerRequests = 0;
  for (let t = 0; t < TURNS; t++) {
    for (const k of ['coalesced', 'naive'] as const) {
      await peer.cmd('reset');
      const r = await run(c, plans[k], TURN_S);
      const s = await peer.stats();
      if (k === 'coalesced') peerRequests += s.requests;
      tot[k].points += r.points; tot[k].requests += r.requests; tot[k].secs += r.secs;
    }
  }
  const ps = (k: 'coalesced' | 'naive') => tot[k].points / tot[k].secs;
  // The peer's own count must equal what the box sent: the coalescing is on the wire, not in our bookkeeping.
  if (peerRequests !== tot.coalesced.requests) throw new Error(`peer counted ${peerRequests} requests, the gateway sent ${tot.coalesced.requests}`);
  rows.push([c.name, `${plans.coalesced.length} / ${plans.naive.length}`, fmt(ps('coalesced')), fmt(ps('naive')), fmt(tot.coalesced.requests / tot.coalesced.secs), fmt(tot.naive.requests / tot.naive.secs), fmt(ps('coalesced') / ps('naive'), 1)]);
}
await gw.close();
await peer.stop();
rmSync(dir, { recursive: true, force: true });

printTable(`Modbus TCP polling against pymodbus 3.0 (Debian), ${TURNS} x ${TURN_S} s per strategy, alternating`,
  ['device', 'requests per poll (blocks / naive)', 'points/s coalesced', 'points/s naive (peer)', 'req/s coalesced', 'req/s naive', 'ratio'], rows);
