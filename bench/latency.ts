// Alarm latency: a probe device's threshold crossing -> alarm raised, under 2,000 readings/s background; peer: bare aedes publish -> subscriber.
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { startLoad, startBenchBox, benchDevices, sleep, printTable, fmt, percentile, type Load } from './lib/harness.ts';
import type { LoadDevice } from './lib/load-generator.ts';
import { wallMs } from './lib/wall-clock.ts';

const BACKGROUND_PER_S = Number(process.env.BENCH_BACKGROUND ?? 2000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 50);
/** Box and peer take turns in chunks, so a burst from another tenant of this shared machine hits both alike. */
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 4);
const PROBES = Number(process.env.BENCH_PROBES ?? 100);
const GAP_MS = 60;

/** The load process's clock minus ours, from the IPC round trip with the smallest delay (the box's latency spans both clocks). */
async function clockOffset(load: Load): Promise<{ offset: number; rtt: number }> {
  let best = { offset: 0, rtt: Infinity };
  for (let i = 0; i < 30; i += 1) {
    const reply = load.next('clock');
    const t0 = wallMs();
    load.send({ type: 'clock' });
    const { at } = await reply;
    const t1 = wallMs();
    if (t1 - t0 < best.rtt) best = { offset: at - (t0 + t1) / 2, rtt: t1 - t0 };
  }
  return best;
}

async function connect(load: Load, port: number, devices: LoadDevice[]): Promise<void> {
  const connected = load.next('connected');
  load.send({ type: 'connect', url: `mqtt://127.0.0.1:${port}`, devices });
  await connected;
}

/** Runs `body` with the background load on, and returns the background's acknowledged rate over that time. */
async function underLoad(load: Load, body: () => Promise<void>): Promise<{ msgs: number; secs: number }> {
  load.send({ type: 'rate', perSecond: BACKGROUND_PER_S });
  await sleep(1500);
  const s0 = load.next('stats'); load.send({ type: 'stats' }); const a = await s0;
  await body();
  const s1 = load.next('stats'); load.send({ type: 'stats' }); const b = await s1;
  const paused = load.next('paused', 15_000); load.send({ type: 'pause' }); await paused;
  return { msgs: b.acked - a.acked, secs: (b.at - a.at) / 1000 };
}

// The box: background devices and a probe device share the profile (threshold above 80, forS 0); the background stays below it.
const background = benchDevices(DEVICES, 'bg');
const [probe] = benchDevices(1, 'probe');
const { box, mqttPort, cleanup } = await startBenchBox([...background, probe]);
const boxLoad = startLoad();
await connect(boxLoad, mqttPort, background);
// The alarm is taken from the box's bus in this process: no MQTT client may subscribe to outpost/v1/<site>/alarm/# (the broker lets a device subscribe only to its own commands).
let onAlarm: ((ev: 'raised' | 'cleared', t: number) => void) | null = null;
box.bus.on('alarm.raised', (a) => { if (a.deviceId === probe.username) onAlarm?.('raised', wallMs()); });
box.bus.on('alarm.cleared', (a) => { if (a.deviceId === probe.username) onAlarm?.('cleared', wallMs()); });
const waitAlarm = (ev: 'raised' | 'cleared') => new Promise<number>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no alarm ${ev} within 5 s`)), 5000);
  onAlarm = (e, t) => { if (e === ev) { clearTimeout(timer); onAlarm = null; resolve(t); } };
});
const boxClock = await clockOffset(boxLoad);

// The peer: bare aedes, the same background, and a publisher and subscriber in the load process (one clock).
const aedes = await Aedes.createBroker();
const server = createServer((socket) => aedes.handle(socket));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const bareLoad = startLoad();
await connect(bareLoad, (server.address() as AddressInfo).port, background);
const [echoPub, echoSub] = benchDevices(2, 'echo');

const boxLat: number[] = [], bareLat: number[] = [];
const boxBg = { msgs: 0, secs: 0 }, bareBg = { msgs: 0, secs: 0 };
let seq = 0;
for (let c = 0; c < CHUNKS; c += 1) {
  const b = await underLoad(boxLoad, async () => {
    for (let k = 0; k < PROBES; k += 1) {
      const raised = waitAlarm('raised');
      const sent = boxLoad.next('probed');
      boxLoad.send({ type: 'probe', device: probe, value: 90, seq: ++seq });
      const t1 = await raised;
      const { sentAt } = await sent;
      boxLat.push(t1 - (sentAt - boxClock.offset));
      // Back below the limit minus hysteresis, so the next probe raises a fresh alarm.
      const cleared = waitAlarm('cleared');
      boxLoad.send({ type: 'probe', device: probe, value: 20, seq: ++seq });
      await cleared;
      await sleep(GAP_MS * (0.5 + Math.random()));
    }
  });
  boxBg.msgs += b.msgs; boxBg.secs += b.secs;
  const p = await underLoad(bareLoad, async () => {
    const echoed = bareLoad.next('echoed', 120_000);
    bareLoad.send({ type: 'echo', device: echoPub, subscriber: echoSub, topic: probe.topic, everyMs: GAP_MS, count: PROBES });
    bareLat.push(...(await echoed).latenciesMs);
  });
  bareBg.msgs += p.msgs; bareBg.secs += p.secs;
}

// The box's own view: outpost_alarm_latency_seconds runs from the reading's arrival in ingest to the alarm.
const hist = (await box.metrics.alarmLatency.get()).values;
const buckets = hist.filter((v) => v.metricName?.endsWith('_bucket')).map((v) => ({ le: Number(v.labels.le), n: v.value }));
const count = hist.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
const histP = (p: number) => buckets.find((x) => x.n >= (p / 100) * count)?.le ?? NaN;
const within50 = (buckets.find((x) => x.le === 0.05)?.n ?? 0) / count;
const rejected = (await box.metrics.readingsRejected.get()).values.reduce((s, v) => s + v.value, 0);

await boxLoad.stop();
await bareLoad.stop();
await cleanup();
await new Promise<void>((r) => aedes.close(() => r()));
await new Promise<void>((r) => server.close(() => r()));

const sb = [...boxLat].sort((x, y) => x - y), sp = [...bareLat].sort((x, y) => x - y);
const row = (label: string, p: number, target = '') => [label, fmt(percentile(sb, p), 2), fmt(percentile(sp, p), 2), fmt(percentile(sb, p) / percentile(sp, p), 1), target];
printTable(
  `bench/latency.ts: ${BACKGROUND_PER_S} readings/s background from ${DEVICES} devices (QoS 1, separate process); ${CHUNKS} alternating chunks of ${PROBES} probes per side`,
  ['latency, ms', 'Outpost: probe publish -> alarm.raised (box bus)', 'bare aedes: publish -> subscriber receives', 'ratio', 'target'],
  [
    row('p50', 50),
    row('p99', 99, '< 50'),
    ['max', fmt(sb.at(-1)!, 2), fmt(sp.at(-1)!, 2), fmt(sb.at(-1)! / sp.at(-1)!, 1), ''],
    ['samples', String(sb.length), String(sp.length), '', ''],
    ['background acknowledged msg/s', fmt(boxBg.msgs / boxBg.secs), fmt(bareBg.msgs / bareBg.secs), '', `${BACKGROUND_PER_S}`],
    ['box histogram (ingest -> raised): p50 / p99 bucket, share <= 50 ms', `<= ${histP(50) * 1000} / <= ${histP(99) * 1000} ms, ${fmt(within50 * 100, 1)} %`, '-', '', ''],
    ['cross-process clock: offset / IPC round trip, ms', `${fmt(boxClock.offset, 3)} / ${fmt(boxClock.rtt, 3)}`, 'same process', '', ''],
    ['readings rejected by the box', String(rejected), '-', '', '0'],
  ],
);
