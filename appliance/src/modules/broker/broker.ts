// The embedded MQTT broker (aedes): device credentials, per-device topic policy, and
// "stored before PUBACK" through authorizePublish, which aedes runs before it acknowledges QoS 1.
import { createServer, type Server, type AddressInfo } from 'node:net';
import { Aedes, type Client, type PublishPacket, type Subscription, type AuthenticateError } from 'aedes';
import type { Bus, Clock, Logger } from '../../core/index.ts';
import { verifyPassword } from '../../core/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Ingest } from '../ingest/index.ts';
import type { Metrics } from '../health/index.ts';
import type { Alarm, Ticket } from '../../domain/index.ts';
import type { Auth, User } from '../auth/index.ts';
import { mayPublish, maySubscribe, parseDeviceTopic } from './topics.ts';

export interface BrokerConfig { host: string; port: number; maxPayloadBytes: number }

/** A connection is a device (deviceId) or a person with a dashboard account (user), never both. */
type DeviceClient = Client & { deviceId?: string; user?: User };

/** People connect as "user:<dashboard username>": local subscribers, Node-RED, bridges. */
const USER_PREFIX = 'user:';

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export function createBroker(deps: { registry: Registry; ingest: Ingest; auth: Auth; bus: Bus; clock: Clock; metrics: Metrics; logger: Logger }, config: BrokerConfig) {
  const { registry, ingest, auth, bus, clock, metrics, logger } = deps;
  let aedes: Aedes | null = null;
  let server: Server | null = null;
  /** Live connections per device: a device is offline only when its last connection goes. */
  const connections = new Map<string, number>();

  function setStatus(deviceId: string, status: 'online' | 'offline'): void {
    const entry = registry.get(deviceId);
    if (!entry || entry.device.status === status) return;
    const ts = clock.now();
    registry.setStatus(deviceId, status, ts);
    metrics.devicesOnline.set([...connections.values()].filter((n) => n > 0).length);
    bus.emit('device.status', { deviceId, status, ts });
  }

  function authenticate(client: DeviceClient, username: Readonly<string | undefined>, password: Readonly<Buffer | undefined>, done: (err: AuthenticateError | null, ok: boolean | null) => void): void {
    if (username?.startsWith(USER_PREFIX) && password) {
      auth.verify(username.slice(USER_PREFIX.length), password.toString('utf8')).then((user) => {
        if (!user) {
          metrics.mqttRefused.inc({ reason: 'bad_password' });
          return done(authError('OUTPOST_MQTT_AUTH: wrong username or password', 4), false);
        }
        client.user = user;
        done(null, true);
      }, (err: Error) => done(authError(`OUTPOST_MQTT_AUTH: ${err.message}`, 3), false));
      return;
    }
    const entry = username ? registry.get(username) : undefined;
    if (!entry || !password) {
      metrics.mqttRefused.inc({ reason: 'unknown_device' });
      logger.warn({ username, clientId: client.id }, 'OUTPOST_MQTT_AUTH: unknown device or no password');
      return done(authError('OUTPOST_MQTT_AUTH: unknown device', 4), false);
    }
    verifyPassword(password.toString('utf8'), entry.device.passwordHash).then((ok) => {
      if (!ok) {
        metrics.mqttRefused.inc({ reason: 'bad_password' });
        logger.warn({ deviceId: entry.device.id }, 'OUTPOST_MQTT_AUTH: wrong password');
        return done(authError('OUTPOST_MQTT_AUTH: wrong password', 4), false);
      }
      client.deviceId = entry.device.id;
      done(null, true);
    }, (err: Error) => done(authError(`OUTPOST_MQTT_AUTH: ${err.message}`, 3), false));
  }

  function authorizePublish(client: DeviceClient | null, packet: PublishPacket, done: (err?: Error | null) => void): void {
    const t = parseDeviceTopic(packet.topic);
    if (client?.user) {
      // A person publishes only commands to a configured device, and only as an admin; each is logged.
      const target = t?.kind === 'cmd' ? registry.get(t.deviceId) : undefined;
      if (client.user.role !== 'admin' || !target || target.device.siteId !== t!.siteId) {
        metrics.mqttRefused.inc({ reason: 'topic_denied' });
        logger.warn({ user: client.user.username, topic: packet.topic }, 'OUTPOST_MQTT_TOPIC_DENIED: people publish only commands, as admin');
        return done(new Error(`OUTPOST_MQTT_TOPIC_DENIED: ${client.user.username} may not publish to ${packet.topic}`));
      }
      logger.info({ user: client.user.username, deviceId: target.device.id, command: t!.name, bytes: (packet.payload as Buffer).length }, 'device command sent');
      return done(null);
    }
    // A will published after its client is gone (client null) is the device's own last word: only its status.
    const deviceId = client?.deviceId ?? (t?.kind === 'status' ? t.deviceId : undefined);
    const entry = deviceId ? registry.get(deviceId) : undefined;
    if (!t || !entry || !mayPublish(entry.device, t)) {
      metrics.mqttRefused.inc({ reason: 'topic_denied' });
      logger.warn({ deviceId, topic: packet.topic }, 'OUTPOST_MQTT_TOPIC_DENIED: publish outside the device prefix');
      return done(new Error(`OUTPOST_MQTT_TOPIC_DENIED: ${deviceId} may not publish to ${packet.topic}`));
    }
    const id = entry.device.id;
    const payload = packet.payload as Buffer;
    if (payload.length > config.maxPayloadBytes) {
      return ingest.rejectMessage(id, { code: 'OUTPOST_PAYLOAD_TOO_LARGE', message: `payload of ${payload.length} bytes exceeds ${config.maxPayloadBytes}` }, done);
    }
    if (t.kind === 'telemetry') return ingest.acceptTelemetry(id, payload, done);
    if (t.kind === 'event') return ingest.acceptEvent(id, payload, done);
    const s = payload.toString('utf8').trim();
    if (s !== 'online' && s !== 'offline') {
      return ingest.rejectMessage(id, { code: 'OUTPOST_PAYLOAD_SHAPE', message: `status must be "online" or "offline", got ${JSON.stringify(s.slice(0, 40))}` }, done);
    }
    setStatus(id, s);
    done(null);
  }

  function authorizeSubscribe(client: DeviceClient, sub: Subscription, done: (err: Error | null, sub?: Subscription | null) => void): void {
    // People read everything the box carries under outpost/v1/ (telemetry, alarms, work orders).
    if (client.user) return done(null, sub.topic === 'outpost/v1/#' || sub.topic.startsWith('outpost/v1/') ? sub : null);
    const entry = client.deviceId ? registry.get(client.deviceId) : undefined;
    if (!entry || !maySubscribe(entry.device, sub.topic)) {
      metrics.mqttRefused.inc({ reason: 'subscribe_denied' });
      // A null subscription answers SUBACK 0x80 (failure) without dropping the connection (MQTT 3.1.1 §3.9.3).
      return done(null, null);
    }
    done(null, sub);
  }

  // What the box publishes (DESIGN.md topics): alarms and work orders, for local subscribers and bridges.
  const publishAlarm = (a: Alarm) => publish(`outpost/v1/${a.siteId}/alarm/${a.id}`, JSON.stringify(a));
  const publishTicket = (t: Ticket) => publish(`outpost/v1/${t.siteId}/ticket/${t.id}`, JSON.stringify(t));
  function publish(topic: string, payload: string, retain = false): void {
    aedes?.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain, dup: false } as PublishPacket, () => {});
  }
  const BOX_EVENTS = [['alarm.raised', publishAlarm], ['alarm.updated', publishAlarm], ['alarm.cleared', publishAlarm], ['ticket.opened', publishTicket], ['ticket.updated', publishTicket]] as const;

  return {
    async start(): Promise<{ port: number }> {
      for (const [ev, fn] of BOX_EVENTS) bus.on(ev, fn as never);
      aedes = await Aedes.createBroker({ authenticate, authorizePublish, authorizeSubscribe, drainTimeout: 30_000, heartbeatInterval: 60_000 } as never);
      aedes.on('clientReady', (client: DeviceClient) => {
        if (!client.deviceId) return;
        connections.set(client.deviceId, (connections.get(client.deviceId) ?? 0) + 1);
        setStatus(client.deviceId, 'online');
      });
      aedes.on('clientDisconnect', (client: DeviceClient) => {
        if (!client.deviceId) return;
        const left = (connections.get(client.deviceId) ?? 1) - 1;
        connections.set(client.deviceId, left);
        if (left <= 0) setStatus(client.deviceId, 'offline');
      });
      const broker = aedes;
      server = createServer((socket) => broker.handle(socket));
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.port, config.host, () => resolve());
      });
      return { port: (server.address() as AddressInfo).port };
    },
    async stop(): Promise<void> {
      for (const [ev, fn] of BOX_EVENTS) bus.off(ev, fn as never);
      const s = server, a = aedes;
      server = null; aedes = null;
      if (a) await new Promise<void>((resolve) => a.close(() => resolve()));
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    /** Publishes as the box itself, bypassing device policy. */
    publish,
    /** Publishes as the box at a chosen QoS and resolves once aedes has handed it to the subscribers (alerts to people). */
    deliver(topic: string, payload: string, qos: 0 | 1): Promise<void> {
      return new Promise((resolve, reject) => {
        if (!aedes) return reject(new Error('the broker is not running'));
        aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false } as PublishPacket, (err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

export type Broker = ReturnType<typeof createBroker>;
