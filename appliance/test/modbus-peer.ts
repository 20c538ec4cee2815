// Test helpers for Modbus: the pymodbus peer as a child process, a socat pty pair for RTU, register values from a family map.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodePoint, type AdapterFamily } from '../src/modules/modbus/index.ts';

const PEER = fileURLToPath(new URL('./fixtures/modbus-peer.py', import.meta.url));
/** Debian's python3 (python3-pymodbus lives there), not whatever python3 comes first on PATH. */
const PYTHON = '/usr/bin/python3';

export interface PeerUnit { hr?: Record<string, number>; ir?: Record<string, number>; co?: Record<string, number>; di?: Record<string, number>; size?: number; fail?: boolean; gateway?: boolean }
export interface PeerConfig { units: Record<string, PeerUnit>; silent?: number[] }

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

/** The registers a device of this family would hold for these engineering values. */
export function unitFromFamily(f: AdapterFamily, values: Record<string, number> = f.example ?? {}): PeerUnit {
  const u: Required<Pick<PeerUnit, 'hr' | 'ir' | 'co' | 'di'>> = { hr: {}, ir: {}, co: {}, di: {} };
  for (const r of f.registers) {
    if (!(r.key in values)) continue;
    const t = { holding: u.hr, input: u.ir, coil: u.co, discrete: u.di }[r.table];
    // A bit field shares its register with others: OR its bits in.
    if (r.bits) { t[r.address] = (t[r.address] ?? 0) | (Math.round(values[r.key]) << r.bits.start); continue; }
    const enc = encodePoint(r, values[r.key]);
    if (typeof enc === 'boolean') t[r.address] = enc ? 1 : 0;
    else enc.forEach((w, i) => { t[r.address + i] = w; });
  }
  return u;
}

export interface Peer {
  /** One control command (stats, reset, get, set); its JSON answer. */
  cmd(line: string): Promise<Record<string, unknown>>;
  stats(): Promise<{ requests: number; byFc: Record<string, number> }>;
  stop(): Promise<void>;
  /** The same peer started again on the same port or serial path (a device that comes back). */
  restart(): Promise<void>;
}

export async function startPeer(dir: string, config: PeerConfig, where: { tcp: number } | { rtu: string; baud?: number }): Promise<Peer> {
  const file = join(dir, `peer-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  const args = 'tcp' in where ? [PEER, file, '--tcp', String(where.tcp)] : [PEER, file, '--rtu', where.rtu, '--baud', String(where.baud ?? 9600)];
  let proc: ChildProcess;
  let waiting: ((line: string) => void)[] = [];

  async function launch(): Promise<void> {
    proc = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d) => { err += d; });
    const lines = createInterface({ input: proc.stdout! });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`modbus peer did not start: ${err}`)), 10_000);
      proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`modbus peer exited ${code}: ${err}`)); });
      lines.on('line', (line) => {
        if (line === 'ready') { clearTimeout(t); proc.removeAllListeners('exit'); resolve(); return; }
        waiting.shift()?.(line);
      });
    });
  }

  async function stop(): Promise<void> {
    if (proc.exitCode !== null || proc.signalCode) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await gone;
    waiting = [];
  }

  await launch();
  const peer: Peer = {
    cmd: (line) => new Promise((resolve) => { waiting.push((l) => resolve(JSON.parse(l))); proc.stdin!.write(`${line}\n`); }),
    stats: () => peer.cmd('stats') as never,
    stop,
    async restart() { await stop(); await launch(); },
  };
  return peer;
}

/** Two linked pseudo-terminals (socat): the box opens one end, the peer the other, like a USB-RS485 adapter and its bus. */
export async function ptyPair(): Promise<{ a: string; b: string; stop(): Promise<void> }> {
  const proc = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('socat gave no pty pair')), 5000);
    createInterface({ input: proc.stderr! }).on('line', (line) => {
      const m = / PTY is (\S+)/.exec(line);
      if (m) paths.push(m[1]);
      if (/starting data transfer loop/.test(line)) { clearTimeout(t); resolve(); }
    });
    proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`socat exited ${code}`)); });
  });
  return {
    a: paths[0], b: paths[1],
    stop: () => new Promise<void>((resolve) => { if (proc.exitCode !== null) return resolve(); proc.once('exit', () => resolve()); proc.kill('SIGTERM'); }),
  };
}
