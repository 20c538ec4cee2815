// Shared bench plumbing: the load process over IPC, a box with N bench devices, percentiles and the printed table.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOutpost, type Outpost } from '../../appliance/src/outpost.ts';
import type { DeviceProfile } from '../../appliance/src/domain/index.ts';
import type { ToLoad, FromLoad, LoadDevice } from './load-generator.ts';

const LOAD_GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

export const SITE = 'bench-site';

/** One point with a threshold rule on it: every reading goes through the rules engine. */
export const BENCH_PROFILE: DeviceProfile = {
  id: 'bench-sensor',
  name: 'Bench sensor',
  points: [{ key: 'temp', name: 'Temperature', unit: '°C', min: -50, max: 300 }],
  rules: [
    // forS 0: the alarm is raised by the very reading that crosses, so the latency bench measures the box, not the rule's wait.
    { kind: 'threshold', type: 'overheat', point: 'temp', hysteresis: 2, levels: [{ severity: 'MAJOR', above: 80, forS: 0 }] },
  ],
};

export interface Load {
  child: ChildProcess;
  send(m: ToLoad): void;
  next<T extends FromLoad['type']>(type: T, timeoutMs?: number): Promise<Extract<FromLoad, { type: T }>>;
  on(fn: (m: FromLoad) => void): void;
  stop(): Promise<Extract<FromLoad, { type: 'stopped' }>>;
}

export function startLoad(): Load {
  const child = fork(LOAD_GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const listeners: ((m: FromLoad) => void)[] = [];
  child.on('message', (m: FromLoad) => {
    if (m.type === 'error') process.stderr.write(`load process: ${m.message}\n`);
    for (const l of [...listeners]) l(m);
  });
  const load: Load = {
    child,
    send: (m) => { child.send(m); },
    on: (fn) => { listeners.push(fn); },
    next(type, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`load process: no ${type} within ${timeoutMs} ms`)), timeoutMs);
        const l = (m: FromLoad): void => {
          if (m.type !== type) return;
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(l), 1);
          resolve(m as never);
        };
        listeners.push(l);
      });
    },
    async stop() {
      const done = load.next('stopped', 30_000);
      load.send({ type: 'stop' });
      const out = await done;
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      return out;
    },
  };
  return load;
}

export const benchDevices = (n: number, prefix = 'dev'): LoadDevice[] =>
  Array.from({ length: n }, (_, i) => {
    const id = `${prefix}${String(i).padStart(3, '0')}`;
    return { username: id, password: `bench-${id}-secret`, topic: `outpost/v1/${SITE}/${id}/telemetry`, point: 'temp' };
  });

/** A box as a real site runs it (rules on, SQLite on, demo off), its bench devices registered through the registry. */
export async function startBenchBox(devices: LoadDevice[]): Promise<{ box: Outpost; mqttPort: number; httpUrl: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-'));
  const box = createOutpost({
    dataDir: dir, http: { port: 0, host: '127.0.0.1' }, mqtt: { port: 0, host: '127.0.0.1' },
    demo: { enabled: false }, log: { level: 'warn' }, auth: { adminPassword: 'bench-admin-pw' },
  }, { env: {} });
  const r = box.registry;
  r.load();
  r.upsertSite({ id: SITE, name: 'Bench site', timezone: 'UTC' });
  r.upsertProfile(BENCH_PROFILE);
  // In parallel: each addDevice is an scrypt hash on the libuv pool.
  await Promise.all(devices.map((d) => r.addDevice({ id: d.username, siteId: SITE, profileId: BENCH_PROFILE.id, name: d.username, password: d.password })));
  const { mqttPort, httpUrl } = await box.start();
  return { box, mqttPort, httpUrl, async cleanup() { await box.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

/** CPU time (ms) spent by the whole machine, from /proc/stat: minus our own processes' time, what others took from us. */
export function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait was busy.
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
  return (busy * 1000) / 100; // USER_HZ is 100 on Linux
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

export function machine(): string {
  return `${new Date().toISOString()} | ${cpus().length} cpu (${cpus()[0]?.model ?? '?'}) | ${Math.round(totalmem() / 2 ** 30)} GiB | linux ${release()} | node ${process.version}`;
}

/** The one table a bench prints: a markdown table, so it pastes into BENCHMARKS.md as is. */
export function printTable(title: string, head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  process.stdout.write(`\n${title}\n${machine()}\n\n${line(head)}\n|${width.map((w) => '-'.repeat(w + 2)).join('|')}|\n${cells.slice(1).map(line).join('\n')}\n\n`);
}

export const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
