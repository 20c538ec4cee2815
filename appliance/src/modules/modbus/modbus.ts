// The Modbus module: adapter families, one gateway per line, a schedule per device, readings into ingest, admin writes.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Counter } from 'prom-client';
import type { Bus, Clock, Logger } from '../../core/index.ts';
import { OutpostError, type ErrorCode } from '../../core/index.ts';
import type { Registry, DeviceEntry } from '../devices/index.ts';
import type { Ingest } from '../ingest/index.ts';
import type { Metrics } from '../health/index.ts';
import type { Db } from '../storage/index.ts';
import { loadFamilies, profileIdOf } from './families.ts';
import { createGateway, gatewayKey, type Gateway, type LinkTarget } from './gateway.ts';
import { createLinkStore, type ModbusLink, type WriteLogEntry } from './link-store.ts';
import { planReads, type ReadBlock } from './read-plan.ts';
import { encodePoint } from './decode.ts';
import { classifyError } from './exceptions.ts';
import { pollDevice, withRetries } from './poll-device.ts';
import type { AdapterFamily, RegisterPoint } from './register-map.ts';

export interface ModbusConfig {
  /** Folder of adapter families (one sub-folder with a map.json each); empty: the box's own firmware-adapters/. */
  adaptersDir: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** Longest wait between polls of a device that does not answer. */
  maxBackoffMs: number;
  /** Unused registers a block read may span to join two neighbours. */
  maxGap: number;
}

export interface LinkState {
  lastPollTs: number | null;
  lastOkTs: number | null;
  lastError: { code: ErrorCode; message: string; ts: number } | null;
  failures: number;
}

export interface NewModbusDevice {
  id: string; siteId: string; assetId?: string | null; name: string; family: string; unitId: number; pollMs: number;
  transport: 'tcp' | 'rtu'; host?: string; port?: number; path?: string; baud?: number; parity?: 'none' | 'even' | 'odd';
}

interface Poller { link: ModbusLink; family: AdapterFamily; registers: RegisterPoint[]; blocks: ReadBlock[]; state: LinkState; timer: NodeJS.Timeout | null; lastTs: number }

export function createModbus(deps: { db: Db; bus: Bus; clock: Clock; registry: Registry; ingest: Ingest; metrics: Metrics; logger: Logger }, config: ModbusConfig) {
  const { bus, clock, registry, ingest, logger } = deps;
  const store = createLinkStore(deps.db);
  const adaptersDir = config.adaptersDir || fileURLToPath(new URL('../../../../firmware-adapters', import.meta.url));
  let families = new Map<string, AdapterFamily>();
  const gateways = new Map<string, Gateway>();
  const pollers = new Map<string, Poller>();
  let running = false;
  const reg = deps.metrics.registry;
  const m = {
    polls: new Counter({ name: 'outpost_modbus_polls_total', help: 'Modbus device polls', labelNames: ['device'], registers: [reg] }),
    errors: new Counter({ name: 'outpost_modbus_errors_total', help: 'Modbus errors by device and code', labelNames: ['device', 'code'], registers: [reg] }),
    pointsRead: new Counter({ name: 'outpost_modbus_points_read_total', help: 'Points decoded from Modbus reads', registers: [reg] }),
    requests: new Counter({ name: 'outpost_modbus_requests_total', help: 'Modbus requests sent (retries included)', registers: [reg] }),
  };

  function gatewayFor(l: ModbusLink): Gateway {
    const key = gatewayKey(l);
    let gw = gateways.get(key);
    if (!gw) { gw = createGateway(l, { timeoutMs: config.timeoutMs }); gateways.set(key, gw); }
    return gw;
  }

  /** Online and offline exactly as the broker announces them, so the offline alarm rules apply to Modbus devices too. */
  function setStatus(deviceId: string, status: 'online' | 'offline'): void {
    const entry = registry.get(deviceId);
    if (!entry || entry.device.status === status) return;
    const ts = clock.now();
    registry.setStatus(deviceId, status, ts);
    bus.emit('device.status', { deviceId, status, ts });
  }

  function ensureProfile(f: AdapterFamily): void {
    // An admin may have tuned the family's alarm rules: a present profile is kept.
    const id = profileIdOf(f.id);
    if (!registry.profiles().some((p) => p.id === id)) registry.upsertProfile({ id, name: f.name, points: f.profile.points, rules: f.profile.rules });
  }

  async function pollOnce(p: Poller): Promise<void> {
    const id = p.link.deviceId;
    const r = await pollDevice(gatewayFor(p.link), p.link.unitId, p.registers, p.blocks, { retries: config.retries, backoffMs: config.backoffMs });
    // Stopped (or the device replaced) while the request was on the line: the database may already be closed.
    if (!running || pollers.get(id) !== p) return;
    const now = clock.now();
    m.polls.inc({ device: id });
    m.requests.inc(r.requests);
    p.state.lastPollTs = now;
    for (const e of r.errors) m.errors.inc({ device: id, code: e.code });
    const last = r.errors.at(-1);
    if (last) {
      p.state.lastError = { code: last.code, message: last.message, ts: now };
      logger.warn({ deviceId: id, code: last.code }, last.message);
    }
    if (r.silent) {
      p.state.failures++;
      setStatus(id, 'offline');
      return;
    }
    p.state.failures = 0;
    p.state.lastOkTs = now;
    setStatus(id, 'online');
    if (!r.readings.length) return;
    // One stamp per poll, strictly after the previous one: readings are keyed (point, ts).
    const ts = Math.max(now, p.lastTs + 1);
    p.lastTs = ts;
    m.pointsRead.inc(r.readings.length);
    await new Promise<void>((resolve) => ingest.acceptReadings(id, r.readings.map((x) => ({ ...x, ts })), (err) => {
      if (err) logger.error({ err, deviceId: id }, 'OUTPOST_STORAGE: Modbus readings not stored');
      resolve();
    }));
  }

  function schedule(p: Poller, delayMs: number): void {
    if (!running || pollers.get(p.link.deviceId) !== p) return;
    p.timer = setTimeout(() => {
      p.timer = null;
      pollOnce(p).catch((err) => logger.error({ err, deviceId: p.link.deviceId }, 'modbus poll failed')).finally(() => {
        // A device that stops answering is asked less often: doubling up to maxBackoffMs.
        const wait = p.state.failures ? Math.min(p.link.pollMs * 2 ** (p.state.failures - 1), Math.max(config.maxBackoffMs, p.link.pollMs)) : p.link.pollMs;
        schedule(p, wait);
      });
    }, delayMs);
  }

  function startPoller(link: ModbusLink): void {
    const family = families.get(link.family);
    if (!family) { logger.error({ deviceId: link.deviceId, family: link.family }, `OUTPOST_NOT_FOUND: adapter family ${link.family} is not in ${adaptersDir}; device not polled`); return; }
    const entry = registry.get(link.deviceId);
    // Only points the device's profile still has are read (an admin may have edited it).
    const registers = family.registers.filter((r) => entry?.points.has(r.key));
    const p: Poller = { link, family, registers, blocks: planReads(registers, { maxGap: config.maxGap }), state: { lastPollTs: null, lastOkTs: null, lastError: null, failures: 0 }, timer: null, lastTs: 0 };
    pollers.set(link.deviceId, p);
    // Spread first polls so a gateway's units do not all ask at the same instant.
    schedule(p, Math.floor(Math.random() * Math.min(link.pollMs, 1000)));
  }

  function pollerOr404(deviceId: string): Poller {
    const p = pollers.get(deviceId);
    if (!p) throw new OutpostError('OUTPOST_NOT_FOUND', `device ${deviceId} is not a Modbus device`);
    return p;
  }

  return {
    start(): void {
      const loaded = loadFamilies(adaptersDir);
      families = loaded.families;
      for (const problem of loaded.problems) logger.error({ problem }, `OUTPOST_CONFIG_INVALID: adapter family skipped: ${problem}`);
      for (const f of families.values()) ensureProfile(f);
      running = true;
      for (const link of store.links()) startPoller(link);
    },
    async stop(): Promise<void> {
      running = false;
      for (const p of pollers.values()) if (p.timer) clearTimeout(p.timer);
      pollers.clear();
      await Promise.all([...gateways.values()].map((g) => g.close()));
      gateways.clear();
    },

    families: (): AdapterFamily[] => [...families.values()],

    /** Registers a device behind a Modbus link; it gets its family's profile and is polled at once. */
    async addDevice(n: NewModbusDevice): Promise<DeviceEntry> {
      const family = families.get(n.family);
      if (!family) throw new OutpostError('OUTPOST_NOT_FOUND', `adapter family ${n.family} does not exist (GET /api/v1/modbus/families)`);
      if (n.transport === 'tcp' && (!n.host || !n.port)) throw new OutpostError('OUTPOST_BAD_REQUEST', 'a tcp link needs host and port');
      if (n.transport === 'rtu' && !n.path) throw new OutpostError('OUTPOST_BAD_REQUEST', 'an rtu link needs path (e.g. /dev/ttyUSB0)');
      const others = store.links().filter((l) => gatewayKey(l) === gatewayKey(n as unknown as LinkTarget));
      if (others.some((l) => l.unitId === n.unitId)) throw new OutpostError('OUTPOST_CONFLICT', `unit id ${n.unitId} is already used on ${gatewayKey(n as unknown as LinkTarget)}`);
      ensureProfile(family);
      // The device never logs in over MQTT; it still gets an unguessable password like every device.
      const entry = await registry.addDevice({ id: n.id, siteId: n.siteId, assetId: n.assetId ?? null, profileId: profileIdOf(family.id), name: n.name, password: randomBytes(24).toString('base64url') });
      const base = { deviceId: n.id, family: family.id, unitId: n.unitId, pollMs: n.pollMs };
      const link: ModbusLink = n.transport === 'tcp'
        ? { ...base, transport: 'tcp', host: n.host!, port: n.port! }
        : { ...base, transport: 'rtu', path: n.path!, baud: n.baud ?? 9600, parity: n.parity ?? 'none' };
      store.add(link);
      if (running) startPoller(link);
      return entry;
    },

    /** What the device page shows about the field link. */
    link(deviceId: string) {
      const p = pollers.get(deviceId);
      const l = p?.link ?? store.links().find((x) => x.deviceId === deviceId);
      if (!l) return null;
      const { deviceId: _d, ...rest } = l;
      // Labels of coded values (run state, fault code) so the page can say "running" beside the 3.
      const enums = Object.fromEntries((p?.family ?? families.get(l.family))?.registers.filter((r) => r.enum).map((r) => [r.key, r.enum!]) ?? []);
      return { protocol: 'modbus' as const, ...rest, blocks: p?.blocks.length ?? 0, enums, ...(p?.state ?? { lastPollTs: null, lastOkTs: null, lastError: null, failures: 0 }) };
    },

    /** An admin's write to a point declared writable: FC5/6/15/16, logged with who and why whatever the outcome. */
    async write(deviceId: string, point: string, value: number, who: { username: string; reason: string }): Promise<WriteLogEntry> {
      const p = pollerOr404(deviceId);
      const r = p.family.registers.find((x) => x.key === point);
      if (!r) throw new OutpostError('OUTPOST_POINT_UNKNOWN', `device ${deviceId} has no point "${point}"`);
      if (!r.writable) throw new OutpostError('OUTPOST_MODBUS_NOT_WRITABLE', `point "${point}" of ${p.family.name} is not declared writable in its register map`);
      const data = encodePoint(r, value);
      const fc = r.writeFc ?? (r.table === 'coil' ? 5 : (data as number[]).length > 1 ? 16 : 6);
      const base = { ts: clock.now(), deviceId, point, value, fc, address: r.address, username: who.username, reason: who.reason };
      const where = `unit ${p.link.unitId} FC${fc} @${r.address}`;
      try {
        await withRetries(() => gatewayFor(p.link).write(p.link.unitId, fc, r.address, data), { retries: 0, backoffMs: 0 }, where);
      } catch (err) {
        const c = classifyError(err, where);
        m.errors.inc({ device: deviceId, code: c.code });
        store.logWrite({ ...base, result: 'error', error: c.message });
        throw new OutpostError(c.code, c.message);
      }
      logger.info({ deviceId, point, value, user: who.username, reason: who.reason }, 'modbus write');
      return store.logWrite({ ...base, result: 'ok', error: null });
    },
    writes: (deviceId: string): WriteLogEntry[] => store.writes(deviceId),
    /** Requests sent per gateway (tests and the benchmark read it). */
    gatewayRequests: (): Record<string, number> => Object.fromEntries([...gateways].map(([k, g]) => [k, g.requests()])),
  };
}

export type Modbus = ReturnType<typeof createModbus>;
