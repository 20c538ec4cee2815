// The demo site's devices: its own process, publishing over real MQTT to the box like real hardware would.
import mqtt from 'mqtt';
import { DEMO_DEVICES } from './site.ts';
import { pump, chiller, compressor } from './physics.ts';

const url = process.env.OUTPOST_DEMO_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const speedup = Number(process.env.OUTPOST_DEMO_SPEEDUP ?? 1);
/** One reading per simulated second, at most every 50 ms of real time. */
const intervalMs = Math.max(50, 1000 / speedup);
const simPerTick = (intervalMs / 1000) * speedup;

const MODELS: Record<string, (t: number) => Record<string, number>> = {
  'pump-p101-cm': pump, 'chiller-ch1-ctl': chiller, 'compressor-ac1-ctl': compressor,
};

const clients = DEMO_DEVICES.map((d) => {
  const base = `outpost/v1/${d.siteId}/${d.id}`;
  const client = mqtt.connect(url, {
    username: d.id, password: d.password, clientId: `demo-${d.id}`, reconnectPeriod: 1000,
    will: { topic: `${base}/status`, payload: Buffer.from('offline'), qos: 1, retain: true },
  });
  client.on('connect', () => client.publish(`${base}/status`, 'online', { qos: 1, retain: true }));
  client.on('error', (err) => console.error(`demo ${d.id}: ${err.message}`));
  let t = 0;
  let n = 0;
  const timer = setInterval(() => {
    if (!client.connected) return;
    t += simPerTick;
    n += 1;
    // Every 400th chiller message is a sensor glitch: the box must reject and count it, not crash.
    const values = d.id === 'chiller-ch1-ctl' && n % 400 === 0 ? { supply_temp: 'ERR' } : MODELS[d.id](t);
    client.publish(`${base}/telemetry`, JSON.stringify({ ts: Date.now(), values }), { qos: 1 });
  }, intervalMs);
  return { client, timer };
});

function shutdown(): void {
  for (const c of clients) { clearInterval(c.timer); c.client.end(true); }
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);
