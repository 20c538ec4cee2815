// The benchmarks' load process: simulated devices over real MQTT sockets, driven by the bench over IPC.
import mqtt, { type MqttClient } from 'mqtt';
import { wallMs } from './wall-clock.ts';

export interface LoadDevice { username: string; password: string; topic: string; point: string }

export type ToLoad =
  | { type: 'connect'; url: string; devices: LoadDevice[] }
  /** Closed loop: each device keeps `window` QoS 1 messages unacknowledged, the next goes out on each PUBACK. */
  | { type: 'flood'; window: number }
  /** Open loop: `perSecond` messages in total, round-robin over the devices, whatever the acks do. */
  | { type: 'rate'; perSecond: number }
  /** Latency probe: publish one value on `device`'s topic, report when it was sent. */
  | { type: 'probe'; device: LoadDevice; value: number; seq: number }
  /** Peer round trip: a subscriber on `topic` in this process, publisher `device`; `count` probes about every `everyMs`. */
  | { type: 'echo'; device: LoadDevice; subscriber: LoadDevice; topic: string; everyMs: number; count: number }
  /** Stop sending and wait until every message sent so far is acknowledged. */
  | { type: 'pause' }
  | { type: 'stats' }
  /** Clock check: answer with this process's wall clock. */
  | { type: 'clock' }
  | { type: 'stop' };

export type FromLoad =
  | { type: 'connected'; n: number }
  | { type: 'stats'; sent: number; acked: number; errors: number; cpuMs: number; at: number }
  | { type: 'probed'; seq: number; sentAt: number }
  | { type: 'echoed'; latenciesMs: number[] }
  | { type: 'paused'; sent: number; acked: number }
  | { type: 'clock'; at: number }
  | { type: 'stopped'; sent: number; acked: number; errors: number; unacked: number }
  | { type: 'error'; message: string };

const send = (m: FromLoad): void => { process.send!(m); };

let clients: { c: MqttClient; d: LoadDevice; lastTs: number; n: number }[] = [];
let url = '';
let sent = 0, acked = 0, errors = 0;
let running = false;
let pacer: NodeJS.Timeout | null = null;

function connect(url: string, d: LoadDevice): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { username: d.username, password: d.password, clientId: `bench-${d.username}-${process.pid}`, reconnectPeriod: 0, connectTimeout: 60_000, protocolVersion: 4 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

function payload(s: (typeof clients)[number], value?: number): string {
  // Unique ts per device: the readings table's key is (point, ts), a repeated ms would be stored once.
  s.lastTs = Math.max(Date.now(), s.lastTs + 1);
  s.n += 1;
  return `{"ts":${s.lastTs},"values":{"${s.d.point}":${value ?? 20 + (s.n % 100) / 10}}}`;
}

function publishOne(s: (typeof clients)[number], next?: () => void): void {
  sent += 1;
  s.c.publish(s.d.topic, payload(s), { qos: 1 }, (err) => {
    if (err) errors += 1; else acked += 1;
    next?.();
  });
}

function flood(window: number): void {
  running = true;
  for (const s of clients) {
    const loop = (): void => { if (running && s.c.connected) publishOne(s, loop); };
    for (let i = 0; i < window; i += 1) loop();
  }
}

function rate(perSecond: number): void {
  running = true;
  const t0 = performance.now();
  let due = 0, i = 0;
  // A 2 ms pacer spreads the load evenly instead of bursts per timer tick of each device.
  pacer = setInterval(() => {
    const target = Math.floor(((performance.now() - t0) / 1000) * perSecond);
    for (; due < target; due += 1, i += 1) publishOne(clients[i % clients.length]);
  }, 2);
}

async function drain(): Promise<void> {
  running = false;
  if (pacer) clearInterval(pacer);
  pacer = null;
  const deadline = performance.now() + 10_000;
  while (acked + errors < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

/** Side connections (probe, echo) by username, kept across calls so a probe never pays for a CONNECT. */
const side = new Map<string, { c: MqttClient; d: LoadDevice; lastTs: number; n: number }>();
async function sideClient(d: LoadDevice) {
  let s = side.get(d.username);
  if (!s) { s = { c: await connect(url, d), d, lastTs: 0, n: 0 }; side.set(d.username, s); }
  return s;
}

const subscribed = new Set<string>();
let waiting: ((t: number) => void) | null = null;
async function echo(m: Extract<ToLoad, { type: 'echo' }>): Promise<void> {
  const sub = await sideClient(m.subscriber);
  const pub = await sideClient(m.device);
  if (!subscribed.has(m.topic)) {
    await new Promise<void>((resolve, reject) => sub.c.subscribe(m.topic, { qos: 0 }, (err) => (err ? reject(err) : resolve())));
    sub.c.on('message', () => { const t = wallMs(); waiting?.(t); });
    subscribed.add(m.topic);
  }
  const latencies: number[] = [];
  for (let k = 0; k < m.count; k += 1) {
    const got = new Promise<number>((resolve) => { waiting = resolve; });
    const body = payload(pub, 99);
    const t0 = wallMs();
    pub.c.publish(m.topic, body, { qos: 1 });
    latencies.push((await got) - t0);
    waiting = null;
    // Jitter so probes do not lock step with the background pacer.
    await new Promise((r) => setTimeout(r, m.everyMs * (0.5 + Math.random())));
  }
  send({ type: 'echoed', latenciesMs: latencies });
}

process.on('message', (m: ToLoad) => {
  const fail = (err: unknown): void => send({ type: 'error', message: (err as Error).message });
  switch (m.type) {
    case 'connect':
      url = m.url;
      // Connect in slices: each CONNECT costs the box an scrypt verification.
      (async () => {
        for (let i = 0; i < m.devices.length; i += 20) {
          const part = await Promise.all(m.devices.slice(i, i + 20).map(async (d) => ({ c: await connect(url, d), d, lastTs: 0, n: 0 })));
          clients.push(...part);
        }
        send({ type: 'connected', n: clients.length });
      })().catch(fail);
      break;
    case 'flood': flood(m.window); break;
    case 'rate': rate(m.perSecond); break;
    case 'probe':
      (async () => {
        const probe = await sideClient(m.device);
        const body = payload(probe, m.value);
        const sentAt = wallMs();
        probe.c.publish(m.device.topic, body, { qos: 1 });
        send({ type: 'probed', seq: m.seq, sentAt });
      })().catch(fail);
      break;
    case 'echo': echo(m).catch(fail); break;
    case 'clock': send({ type: 'clock', at: wallMs() }); break;
    case 'pause': drain().then(() => send({ type: 'paused', sent, acked }), fail); break;
    case 'stats': {
      const u = process.cpuUsage();
      send({ type: 'stats', sent, acked, errors, cpuMs: (u.user + u.system) / 1000, at: wallMs() });
      break;
    }
    case 'stop':
      (async () => {
        // Let in-flight messages be acknowledged, so the box's commits and our acks agree at the end.
        await drain();
        const all = [...clients.map((s) => s.c), ...[...side.values()].map((s) => s.c)];
        await Promise.all(all.map((c) => new Promise<void>((r) => c.end(false, {}, () => r()))));
        send({ type: 'stopped', sent, acked, errors, unacked: sent - acked - errors });
        clients = [];
        process.disconnect();
      })().catch(fail);
      break;
  }
});
