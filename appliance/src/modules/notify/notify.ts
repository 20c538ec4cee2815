// Reaching people: bus events become stored alerts, each channel delivers and is retried with backoff, the person acks.
import type { Bus, Clock, Logger } from '../../core/index.ts';
import { newId, OutpostError } from '../../core/index.ts';
import type { AckMins, Alert, AlertReason, Engineer, EngineerRole, SendOutcome, Ticket } from '../../domain/index.ts';
import { ackDueTs, personLang, retryDelayMs, RESPONDED_STATUSES } from '../../domain/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Roster } from '../roster/index.ts';
import type { Metrics } from '../health/index.ts';
import type { Db } from '../storage/index.ts';
import { createAlertStore } from './store.ts';
import { createPushStore, type PushSubscriptionJson } from './push.ts';
import { mqttChannel, pushChannel, robotChannel, smsChannel, type Channel, type GroupRobot } from './channels.ts';
import { renderMessage } from './messages.ts';

export interface NotifyConfig {
  ackMins: AckMins;
  publicUrl: string;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  tickMs: number;
  timeoutMs: number;
  vapidSubject: string;
  sms: { url: string; token: string };
  groups: readonly GroupRobot[];
}

export interface NotifyDeps {
  db: Db; bus: Bus; clock: Clock; registry: Registry; roster: Roster; metrics: Metrics; logger: Logger;
  /** Publishes on the box's own broker (QoS 1); absent in a box without one. */
  mqttPublish?: (topic: string, payload: string, qos: 0 | 1) => Promise<void>;
}

/** A live listener (one open SSE stream of the engineer app): returns false when its socket is gone. */
export type LiveSink = (event: 'alert' | 'ack', data: unknown) => boolean;

/** A person told about a ticket within this window, and who has not acked yet, is not told again (assign + escalate in one step). */
const SAME_NEWS_MS = 60_000;

export function createNotify(deps: NotifyDeps, config: NotifyConfig) {
  const { db, bus, clock, registry, roster, metrics, logger } = deps;
  const store = createAlertStore(db);
  const push = createPushStore(db);
  const sinks = new Map<string, Set<LiveSink>>();

  const live: Channel = {
    name: 'live',
    waitsForListener: true,
    targets: (person) => (person.username ? [''] : []),
    send(alert) {
      let told = false;
      for (const sink of sinks.get(alert.engineerId) ?? []) if (sink('alert', publicAlert(alert))) told = true;
      return told ? { result: 'sent' } : { result: 'retry', detail: 'app not open' };
    },
  };
  // Aborted by stop(): a receiver that hangs must not hold the box's shutdown for timeoutMs (the row stays due).
  let halt = new AbortController();
  const cfg = { timeoutMs: config.timeoutMs, sms: config.sms, groups: config.groups, vapidSubject: config.vapidSubject, signal: () => halt.signal };
  const channels: Channel[] = [
    live, pushChannel(push, cfg), robotChannel('wecom', cfg, clock.now), robotChannel('dingtalk', cfg, clock.now), robotChannel('feishu', cfg, clock.now),
    smsChannel(cfg), mqttChannel(deps.mqttPublish ?? null),
  ];
  const byName = new Map(channels.map((c) => [c.name, c]));
  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;

  function publicAlert(a: Alert): Omit<Alert, 'deliveries'> {
    const { deliveries: _d, ...rest } = a;
    return rest;
  }

  function facts(ticket: Ticket) {
    const asset = ticket.assetId ? registry.asset(ticket.assetId) : undefined;
    const zone = ticket.zoneId ? registry.zones(ticket.siteId).find((z) => z.id === ticket.zoneId) : undefined;
    return { assetName: asset?.name ?? null, zoneName: zone?.name ?? null, timeZone: registry.site(ticket.siteId)?.timezone ?? 'UTC' };
  }

  /** Stores one alert with a pending delivery per channel target, then sends at once (live first, synchronously). */
  function tell(ticket: Ticket, person: Engineer, reason: AlertReason, level: number | null): Alert | null {
    const now = clock.now();
    if (!person.active) return null;
    if (store.recentUnacked(ticket.id, person.id, now - SAME_NEWS_MS)) return null;
    const lang = personLang(person.profile);
    const f = facts(ticket);
    const due = ackDueTs(now, ticket.priority, config.ackMins);
    const url = `${config.publicUrl.replace(/\/+$/, '')}/engineer/#/job/${encodeURIComponent(ticket.id)}`;
    const msg = renderMessage(lang, { reason, level, ticketId: ticket.id, ticketTitle: ticket.title, priority: ticket.priority, assetName: f.assetName, zoneName: f.zoneName, ackDueTs: due, url, timeZone: f.timeZone });
    const draft: Alert = {
      id: newId('al', now), ticketId: ticket.id, engineerId: person.id, siteId: ticket.siteId, reason, level, createdTs: now, ackDueTs: due, ackedTs: null, ackedBy: null,
      priority: ticket.priority, ticketTitle: ticket.title, assetId: ticket.assetId, assetName: f.assetName, zoneId: ticket.zoneId, zoneName: f.zoneName,
      lang, title: msg.title, body: msg.body, url, deliveries: [],
    };
    const targets = channels.flatMap((c) => c.targets(person, draft).map((target) => ({ channel: c.name, target, nextTs: c.waitsForListener ? null : now })));
    const alert = store.insert(draft, targets);
    for (const d of alert.deliveries) void attempt(alert, d.channel, d.target, 0);
    return alert;
  }

  function attempt(alertOrId: Alert | string, channel: string, target: string, attemptsBefore: number): Promise<void> {
    const alertId = typeof alertOrId === 'string' ? alertOrId : alertOrId.id;
    const key = `${alertId}|${channel}|${target}`;
    if (stopping || inFlight.has(key)) return Promise.resolve();
    const run = (async () => {
      const alert = typeof alertOrId === 'string' ? store.get(alertId) : alertOrId;
      const ch = byName.get(channel);
      const person = alert ? roster.get(alert.engineerId) : undefined;
      const now = () => clock.now();
      if (!alert || !ch || !person) {
        store.record(alertId, channel, target, 'failed', attemptsBefore, now(), null, 'unknown alert, channel or person');
        return;
      }
      if (alert.ackedTs !== null) {
        store.record(alertId, channel, target, 'cancelled', attemptsBefore, now(), null, 'acknowledged before it went out');
        return;
      }
      let out: SendOutcome;
      try {
        out = await ch.send(alert, person, target);
      } catch (err) {
        out = { result: 'retry', detail: (err as Error).message };
      }
      if (stopping && out.result === 'retry') return; // the row stays pending and due: the next start retries it
      if (ch.waitsForListener && out.result === 'retry') return; // live: stays pending until the app connects
      const attempts = attemptsBefore + 1;
      if (out.result === 'retry' && attempts >= config.maxAttempts) out = { result: 'failed', detail: `gave up after ${attempts} tries: ${out.detail}` };
      const next = out.result === 'retry' ? now() + retryDelayMs(attempts, config.retryBaseMs, config.retryMaxMs) : null;
      store.record(alertId, channel, target, out.result === 'retry' ? 'pending' : out.result, attempts, now(), next, out.detail ?? null);
      metrics.notificationsSent.inc({ channel, result: out.result });
      if (out.result !== 'sent') logger.warn({ alertId, channel, target, attempts, detail: out.detail }, `OUTPOST_NOTIFY_${out.result === 'retry' ? 'RETRY' : 'FAILED'}: ${channel} delivery`);
    })().catch((err: Error) => logger.error({ err, alertId, channel }, 'OUTPOST_NOTIFY_FAILED: delivery bookkeeping'))
      .finally(() => inFlight.delete(key));
    inFlight.set(key, run);
    return run;
  }

  function runDue(): void {
    for (const d of store.due(clock.now())) void attempt(d.alertId, d.channel, d.target, d.attempts);
  }

  function ackTicket(ticketId: string, engineerId: string, by: string): number {
    const ts = clock.now();
    const n = store.ackTicket(ticketId, engineerId, ts, by);
    if (n > 0) {
      for (const sink of sinks.get(engineerId) ?? []) sink('ack', { ticketId, engineerId, ackedTs: ts });
      bus.emit('alert.acked', { ticketId, engineerId, ts });
    }
    return n;
  }

  function roleHolders(siteId: string, role: EngineerRole): Engineer[] {
    return roster.list(siteId).filter((e) => e.active && e.role === role);
  }

  // Triggers. Each guards itself: a bad roster entry must not stop the work order's own flow.
  const guard = <A extends unknown[]>(what: string, fn: (...a: A) => void) => (...a: A) => {
    try { fn(...a); } catch (err) { logger.error({ err }, `OUTPOST_NOTIFY_FAILED: ${what}`); }
  };
  const onAssigned = guard('ticket.assigned', (ticket: Ticket, a: { engineerId: string }) => {
    const person = roster.get(a.engineerId);
    if (person) tell(ticket, person, 'assigned', null);
  });
  // A supervisor or manager step reaches everyone in that role on the site (the ladder names the first as engineerId);
  // an engineer step names its engineer, or none when dispatch is to pick the next one (its assignment alerts them).
  const onEscalated = guard('ticket.escalated', (e: { ticket: Ticket; level: number; target: { engineerId?: string; role?: EngineerRole } }) => {
    const named = e.target.engineerId ? roster.get(e.target.engineerId) : undefined;
    const people = e.target.role && e.target.role !== 'engineer' ? roleHolders(e.ticket.siteId, e.target.role) : [];
    if (named && !people.some((p) => p.id === named.id)) people.push(named);
    for (const p of people) tell(e.ticket, p, 'escalated', e.level);
  });
  const onSla = guard('sla.changed', (e: { ticket: Ticket; state: 'warning' | 'breached' }) => {
    if (e.state === 'warning') {
      const p = e.ticket.assignee ? roster.get(e.ticket.assignee) : undefined;
      if (p) tell(e.ticket, p, 'sla_warning', null);
      return;
    }
    // A breach goes to the site's supervisors; a site without one reaches its manager instead of nobody.
    const people = roleHolders(e.ticket.siteId, 'supervisor');
    for (const p of people.length ? people : roleHolders(e.ticket.siteId, 'manager')) tell(e.ticket, p, 'sla_breached', null);
  });
  const onUpdated = guard('ticket.updated', (t: Ticket) => {
    if (t.assignee && RESPONDED_STATUSES.includes(t.status)) ackTicket(t.id, t.assignee, t.assignee);
  });

  return {
    start(): void {
      stopping = false;
      halt = new AbortController();
      push.load();
      bus.on('ticket.assigned', onAssigned);
      bus.on('ticket.escalated', onEscalated);
      bus.on('sla.changed', onSla);
      bus.on('ticket.updated', onUpdated);
      // Whatever was pending when the box stopped is due now: the first tick retries it, by when the broker is up too.
      timer = setInterval(runDue, config.tickMs);
    },
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      bus.off('ticket.assigned', onAssigned);
      bus.off('ticket.escalated', onEscalated);
      bus.off('sla.changed', onSla);
      bus.off('ticket.updated', onUpdated);
      halt.abort();
      await Promise.allSettled([...inFlight.values()]);
    },
    /** The engineer app's live connection: sends what waited for it, then every new alert and ack. Returns the closer. */
    listen(engineerId: string, sink: LiveSink): () => void {
      let set = sinks.get(engineerId);
      if (!set) sinks.set(engineerId, (set = new Set()));
      set.add(sink);
      for (const alertId of store.waitingLive(engineerId)) void attempt(alertId, 'live', '', 0);
      return () => {
        set.delete(sink);
        if (!set.size) sinks.delete(engineerId);
      };
    },
    forEngineer: (engineerId: string, limit = 50) => store.forEngineer(engineerId, limit),
    forTicket: (ticketId: string) => store.forTicket(ticketId),
    get: (id: string) => store.get(id),
    /** An explicit acknowledgement by the person the alert went to (a supervisor's escalation, say). */
    ack(alertId: string, engineerId: string): Alert {
      const a = store.get(alertId);
      if (!a || a.engineerId !== engineerId) throw new OutpostError('OUTPOST_NOT_FOUND', `alert ${alertId} is not one of yours`);
      if (a.ackedTs === null) ackTicket(a.ticketId, engineerId, engineerId);
      return store.get(alertId)!;
    },
    vapidPublicKey: () => push.keys().publicKey,
    subscribe: (engineerId: string, s: PushSubscriptionJson) => push.subscribe(engineerId, s, clock.now()),
    unsubscribe: (engineerId: string, endpoint: string) => push.unsubscribe(engineerId, endpoint),
    /** Runs due retries now (the timer does this every tickMs; tests on a manual clock call it). */
    runDue,
    /** Resolves when every delivery under way has an outcome. */
    settle: async () => { while (inFlight.size) await Promise.allSettled([...inFlight.values()]); },
    channels: () => channels.map((c) => c.name),
  };
}

export type Notify = ReturnType<typeof createNotify>;
