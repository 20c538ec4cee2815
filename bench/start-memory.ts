// Start to ready (spawn -> /healthz answers) and RSS with the demo site running; peer: a bare fastify + aedes `node -e` process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, printTable, fmt, median } from './lib/harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'appliance/src/main.ts');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DEMO_S = Number(process.env.BENCH_DEMO_S ?? 45);

// The peer: the two libraries the box is built on, one route and one broker, nothing else.
const HELLO = `
import Fastify from 'fastify';
import { Aedes } from 'aedes';
import { createServer } from 'node:net';
const app = Fastify();
app.get('/healthz', async () => ({ status: 'ok' }));
const aedes = await Aedes.createBroker();
await new Promise((r) => createServer((s) => aedes.handle(s)).listen(Number(process.env.MQTT_PORT), '127.0.0.1', r));
await app.listen({ port: Number(process.env.HTTP_PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => process.exit(0));
`;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
  });
}

interface Proc { child: ChildProcess; httpPort: number; dir?: string }

/** Our env minus any OUTPOST_* of the caller's, so the run is the defaults plus what we set. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OUTPOST_')) env[k] = v;
  return { ...env, ...extra };
}

async function spawnBox(dir: string): Promise<Proc> {
  const httpPort = await freePort(), mqttPort = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    // cwd in the data dir: no outpost.config.json is picked up by accident.
    cwd: dir, stdio: ['ignore', 'ignore', 'inherit'],
    env: cleanEnv({
      OUTPOST_DATA_DIR: dir, OUTPOST_HTTP_PORT: String(httpPort), OUTPOST_MQTT_PORT: String(mqttPort),
      OUTPOST_HTTP_HOST: '127.0.0.1', OUTPOST_MQTT_HOST: '127.0.0.1', OUTPOST_DEMO_SPEEDUP: '1', OUTPOST_LOG_LEVEL: 'warn',
      // As `npm start` and ecosystem.config.js run the box.
      MALLOC_ARENA_MAX: '2',
    }),
  });
  return { child, httpPort, dir };
}

async function spawnHello(): Promise<Proc> {
  const httpPort = await freePort(), mqttPort = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '-e', HELLO], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: cleanEnv({ HTTP_PORT: String(httpPort), MQTT_PORT: String(mqttPort) }),
  });
  return { child, httpPort };
}

/** ms from spawn until /healthz answers 200. */
async function startTime(start: () => Promise<Proc>): Promise<{ ms: number; proc: Proc }> {
  const t0 = performance.now();
  const proc = await start();
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`process exited with ${proc.child.exitCode} before it was ready`);
    if (await healthy(proc.httpPort)) return { ms: performance.now() - t0, proc };
    await sleep(5);
  }
}

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** VmRSS and VmHWM (peak) of a process, MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the name in parentheses may hold spaces.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => { let b = ''; res.on('data', (c) => { b += c; }); res.on('end', () => resolve(b)); }).on('error', reject);
  });
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

// Start times: box first start (fresh dir: migrations, demo seed, scrypt hashes), box restart (same dir), peer; interleaved per run.
const first: number[] = [], again: number[] = [], hello: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-start-'));
  const a = await startTime(() => spawnBox(dir)); first.push(a.ms); await stop(a.proc);
  const b = await startTime(() => spawnBox(dir)); again.push(b.ms); await stop(b.proc);
  const h = await startTime(spawnHello); hello.push(h.ms); await stop(h.proc);
  rmSync(dir, { recursive: true, force: true });
}

// Memory: the box with its demo site and the peer, side by side for the same wall time.
const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-mem-'));
const box = (await startTime(() => spawnBox(dir))).proc;
const peer = (await startTime(spawnHello)).proc;
let sampledPeak = 0;
for (let s = 0; s < DEMO_S; s += 1) {
  await sleep(1000);
  sampledPeak = Math.max(sampledPeak, memory(box.child.pid!).rss);
}
const boxMem = memory(box.child.pid!), peerMem = memory(peer.child.pid!);
const sims = childrenOf(box.child.pid!);
const simMem = sims.length ? memory(sims[0]) : { rss: NaN, peak: NaN };
const readings = await metric(box.httpPort, 'outpost_readings_ingested_total');
await stop(box);
await stop(peer);
rmSync(dir, { recursive: true, force: true });

const range = (xs: number[]) => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`;
printTable(
  `bench/start-memory.ts: ${RUNS} runs each, median (min-max); memory after ${DEMO_S} s with the demo site at speedup 1`,
  ['', 'Outpost (node appliance/src/main.ts)', 'bare fastify + aedes (node -e)', 'ratio', 'target'],
  [
    ['start -> /healthz 200, first start (fresh data dir), ms', `${fmt(median(first))} (${range(first)})`, `${fmt(median(hello))} (${range(hello)})`, fmt(median(first) / median(hello), 2), '< 2,000'],
    ['start -> /healthz 200, restart (existing data dir), ms', `${fmt(median(again))} (${range(again)})`, 'same', fmt(median(again) / median(hello), 2), '< 2,000'],
    ['RSS (VmRSS) at the end, MB', fmt(boxMem.rss, 1), fmt(peerMem.rss, 1), fmt(boxMem.rss / peerMem.rss, 2), '< 250'],
    ['peak RSS (VmHWM), MB', fmt(boxMem.peak, 1), fmt(peerMem.peak, 1), fmt(boxMem.peak / peerMem.peak, 2), '< 250'],
    ['demo simulator, its own process: RSS / peak, MB', `${fmt(simMem.rss, 1)} / ${fmt(simMem.peak, 1)}`, '-', '', ''],
    ['readings ingested during the memory run', fmt(readings), '-', '', ''],
  ],
);
