// Composes one box from its modules: config in, start() brings every module up in order, stop() takes them down.
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createBus, createLogger, systemClock, type Clock } from './core/index.ts';
import { loadConfig, type Config } from './config/index.ts';
import type { Ticket } from './domain/index.ts';
import { openDatabase, databaseBytes } from './modules/storage/index.ts';
import { createMetrics } from './modules/health/index.ts';
import { createRegistry } from './modules/devices/index.ts';
import { createIngest } from './modules/ingest/index.ts';
import { createQueries, createMaintenance } from './modules/readings/index.ts';
import { createAlarms } from './modules/alarms/index.ts';
import { createRules } from './modules/rules/index.ts';
import { createTickets } from './modules/tickets/index.ts';
import { createRoster } from './modules/roster/index.ts';
import { createVerify } from './modules/verify/index.ts';
import { createSla } from './modules/sla/index.ts';
import { createDispatch } from './modules/dispatch/index.ts';
import { createForecasts } from './modules/forecast/index.ts';
import { createUsage } from './modules/usage/index.ts';
import { createAnomalies } from './modules/anomaly/index.ts';
import { createBroker } from './modules/broker/index.ts';
import { createAuth } from './modules/auth/index.ts';
import { createDemo } from './modules/demo/index.ts';
import { createKb } from './modules/kb/index.ts';
import { createModbus } from './modules/modbus/index.ts';
import { createNotify } from './modules/notify/index.ts';
import { createField } from './modules/field/index.ts';
import { buildServer } from './modules/dashboard/index.ts';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface OutpostOptions { env?: NodeJS.ProcessEnv; clock?: Clock; defaultMetrics?: boolean }

export function createOutpost(overrides: DeepPartial<Config> = {}, opts: OutpostOptions = {}) {
  const config = loadConfig(opts.env ?? process.env, overrides as Record<string, unknown>);
  const clock = opts.clock ?? systemClock;
  const logger = createLogger(config.log.level);
  const dbFile = resolve(join(config.dataDir, 'outpost.db'));
  const bus = createBus();
  const db = openDatabase(dbFile);
  const metrics = createMetrics({ databaseBytes: () => databaseBytes(dbFile), defaultMetrics: opts.defaultMetrics });
  const registry = createRegistry(db);
  const queries = createQueries(db, { rawDays: config.storage.rawRetentionDays, rollupDays: config.storage.rollupRetentionDays });
  const series = (pointId: number, from: number, to: number) => queries.series(pointId, from, to, clock.now());
  const maintenance = createMaintenance(queries, clock.now, config.storage.maintenanceIntervalS, (err) => logger.error({ err }, 'OUTPOST_STORAGE: rollup/retention failed'));
  const ingest = createIngest({ db, bus, clock, registry, metrics, logger: logger.child({ module: 'ingest' }) }, { ...config.ingest, ...config.storage });
  const alarms = createAlarms({ db, bus, clock, metrics });
  const rules = createRules({ bus, clock, registry, alarms }, config.rules);
  const forecasts = createForecasts({ bus, registry, alarms, series });
  const anomalies = createAnomalies({ bus, registry, alarms });
  const roster = createRoster({ db, bus, clock });
  const tickets = createTickets({ db, bus, clock, registry, metrics, series }, config.tickets);
  const sla = createSla({ db, bus, clock, tickets, roster, registry, metrics, logger: logger.child({ module: 'sla' }) }, config.sla);
  // Counters flush and due tasks are checked each minute; a reading gap over 5 minutes counts no run time.
  // Dispatch weighs the deadline the SLA module computes: the response clock until someone answers, then resolution.
  const slaDeadline = (t: Ticket): number | null => {
    const s = sla.slaSummary([t]).get(t.id);
    const c = s ? (s.response.stopped ? s.resolution : s.response) : null;
    return c && Number.isFinite(c.dueTs) ? c.dueTs : null;
  };
  const dispatch = createDispatch({ db, bus, clock, logger: logger.child({ module: 'dispatch' }), registry, tickets, roster, alarms, deadline: slaDeadline }, config.dispatch);
  const usage = createUsage({ db, bus, clock, registry, tickets }, { tickS: 60, maxGapS: 300 });
  const verify = createVerify({ db, bus, clock, registry, tickets, series, logger: logger.child({ module: 'verify' }) }, config.verify);
  const kb = createKb({ db, bus, clock, registry, tickets, roster, metrics, logger: logger.child({ module: 'kb' }) }, config.kb);
  const field = createField({ db, bus, clock, registry, tickets, roster, metrics, latestOf: (id) => ingest.latestOf(id) }, { dataDir: config.dataDir, ...config.field });
  const auth = createAuth({ db, clock }, config.auth);
  const broker = createBroker({ registry, ingest, auth, bus, clock, metrics, logger: logger.child({ module: 'broker' }) }, config.mqtt);
  const modbus = createModbus({ db, bus, clock, registry, ingest, metrics, logger: logger.child({ module: 'modbus' }) }, config.modbus);
  const notify = createNotify({ db, bus, clock, registry, roster, metrics, logger: logger.child({ module: 'notify' }), mqttPublish: (t, p, q) => broker.deliver(t, p, q) }, config.notify);
  const demo = createDemo({ registry, usage, kb, field, roster, dispatch, auth, now: clock.now, logger: logger.child({ module: 'demo' }) }, config.demo);
  const http = buildServer({
    bus, clock, logger: logger.child({ module: 'http' }), auth, registry, ingest, alarms, tickets, roster, verify, metrics, series, usage, modbus, sla, dispatch, kb, notify, field,
    health: () => ({ devices: registry.devices().length, devicesOnline: registry.devices().filter((e) => e.device.status === 'online').length, demo: demo.running() }),
  });
  let started = false;
  let stopped = false;

  async function ensureAdmin(): Promise<void> {
    if (auth.hasUsers()) return;
    const password = config.auth.adminPassword ?? randomBytes(12).toString('base64url');
    await auth.addUser('admin', password, 'admin');
    if (!config.auth.adminPassword) {
      // Printed once, on the first start only: the operator's way in. Change it after logging in.
      process.stdout.write(`\n  Outpost first start: dashboard user "admin", password "${password}"\n  (set OUTPOST_AUTH_ADMIN_PASSWORD before the first start to choose it)\n\n`);
    }
  }

  return {
    config,
    db, bus, registry, ingest, alarms, tickets, roster, verify, sla, rules, metrics, auth, clock, maintenance, usage, modbus, dispatch, kb, notify, field,
    async start(): Promise<{ httpUrl: string; mqttPort: number; httpPort: number }> {
      const t0 = performance.now();
      registry.load();
      field.start();
      const runDemo = demo.wanted();
      await Promise.all([ensureAdmin(), runDemo ? demo.seed() : null]);
      if (!runDemo) demo.retire();
      ingest.start();
      alarms.start();
      rules.start();
      forecasts.start();
      anomalies.start();
      tickets.start();
      verify.start();
      sla.start();
      dispatch.start();
      kb.start();
      notify.start();
      usage.start();
      maintenance.start();
      modbus.start();
      const { port: mqttPort } = await broker.start();
      await http.listen({ port: config.http.port, host: config.http.host });
      const httpPort = (http.server.address() as AddressInfo).port;
      if (runDemo) demo.start(mqttPort);
      started = true;
      const httpUrl = `http://127.0.0.1:${httpPort}`;
      logger.info({ httpUrl, mqttPort, db: dbFile, readyMs: Math.round(performance.now() - t0) }, 'Outpost ready');
      return { httpUrl, mqttPort, httpPort };
    },
    /** Idempotent, so a test can register it as cleanup and still stop the box mid-test. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      // Rules go first: devices dropping off because the box is stopping is not news, and must not
      // leave offline alarms behind (the demo simulator's last wills fire on the way down).
      rules.stop();
      forecasts.stop();
      anomalies.stop();
      await demo.stop();
      if (started) await http.close();
      await notify.stop();
      await broker.stop();
      await modbus.stop();
      maintenance.stop();
      usage.stop();
      kb.stop();
      verify.stop();
      sla.stop();
      dispatch.stop();
      field.stop();
      tickets.stop();
      alarms.stop();
      ingest.stop();
      db.close();
      started = false;
    },
  };
}

export type Outpost = ReturnType<typeof createOutpost>;
