// Usage-based and calendar maintenance: counts run time, starts and cycles per asset from readings (persisted),
// and opens a scheduled work order when a task of the asset type's plan falls due; closing it restarts the count.
import type { Bus, Clock, StoredReading } from '../../core/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { Ticket } from '../../domain/index.ts';
import { accumulateRun, accumulateCount, initialUsage, dueReasons, dueTs, taskProgress, type MaintenancePlan, type Usage, type UsageState } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Tickets } from '../tickets/index.ts';

/** A work order of a plan's task has this alarm type: one open per asset and task. */
export const taskType = (taskId: string) => `maintenance_${taskId}`;
const usageOf = (s: UsageState): Usage => ({ runS: s.runS, starts: s.starts, cycles: s.cycles });

export function createUsage(deps: { db: Db; bus: Bus; clock: Clock; registry: Registry; tickets: Tickets }, config: { tickS: number; maxGapS: number }) {
  const { db, bus, clock, registry, tickets } = deps;
  const plans = new Map<string, MaintenancePlan>();
  const counters = new Map<string, UsageState>();
  const dirty = new Set<string>();
  // Asset types by asset id, so the readings path never queries SQLite; refreshed on each tick and plan change.
  let assetTypes = new Map<string, string>();
  const refreshAssets = () => { assetTypes = new Map(registry.assets().map((a) => [a.id, a.type])); };
  let timer: NodeJS.Timeout | null = null;
  const saveCounter = db.prepare(`INSERT INTO usage_counters (asset_id, counter, value, state, updated_ts) VALUES (?, 'usage', ?, ?, ?)
    ON CONFLICT(asset_id, counter) DO UPDATE SET value = excluded.value, state = excluded.state, updated_ts = excluded.updated_ts`);
  const doneQ = db.prepare('SELECT done_ts, done_counters, ticket_id FROM maintenance_tasks WHERE asset_id = ? AND task_id = ?');
  const saveDone = db.prepare(`INSERT INTO maintenance_tasks (asset_id, task_id, done_ts, done_counters, ticket_id) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(asset_id, task_id) DO UPDATE SET done_ts = excluded.done_ts, done_counters = excluded.done_counters, ticket_id = excluded.ticket_id`);

  function load(): void {
    plans.clear(); counters.clear();
    for (const r of db.prepare('SELECT plan FROM maintenance_plans').all() as { plan: string }[]) {
      const p = JSON.parse(r.plan) as MaintenancePlan; plans.set(p.assetType, p);
    }
    // The count the box had at its last flush; readings since then that were stored are counted again on arrival only.
    for (const r of db.prepare("SELECT asset_id, state FROM usage_counters WHERE counter = 'usage'").all() as { asset_id: string; state: string }[]) {
      counters.set(r.asset_id, JSON.parse(r.state) as UsageState);
    }
  }

  function counterOf(assetId: string): UsageState {
    let s = counters.get(assetId);
    if (!s) { s = initialUsage(); counters.set(assetId, s); }
    return s;
  }

  function onReadings(rows: StoredReading[]): void {
    if (!plans.size) return;
    for (const r of rows) {
      const assetId = registry.get(r.deviceId)?.device.assetId;
      if (!assetId) continue;
      const plan = plans.get(assetTypes.get(assetId) ?? '');
      if (!plan) continue;
      if (plan.running?.point === r.point) counters.set(assetId, accumulateRun(counterOf(assetId), r.ts, r.value, plan.running.above, config.maxGapS * 1000));
      else if (plan.cycles?.point === r.point) counters.set(assetId, accumulateCount(counterOf(assetId), r.value));
      else continue;
      dirty.add(assetId);
    }
  }

  function flush(): void {
    if (!dirty.size) return;
    const now = clock.now();
    transaction(db, () => {
      for (const id of dirty) { const s = counters.get(id)!; saveCounter.run(id, s.runS, JSON.stringify(s), now); }
    });
    dirty.clear();
  }

  /** The last time each task was done on an asset; the first sight of an asset starts its count from then. */
  function doneOf(assetId: string, taskId: string): { ts: number; usage: Usage; ticketId: string | null } {
    const row = doneQ.get(assetId, taskId) as { done_ts: number; done_counters: string; ticket_id: string | null } | undefined;
    if (row) return { ts: row.done_ts, usage: JSON.parse(row.done_counters) as Usage, ticketId: row.ticket_id };
    const d = { ts: clock.now(), usage: usageOf(counterOf(assetId)), ticketId: null };
    saveDone.run(assetId, taskId, d.ts, JSON.stringify(d.usage), null);
    return d;
  }

  /** Flushes counters and opens a work order for each task that has fallen due (one open per asset and task). */
  function tick(): Ticket[] {
    flush();
    refreshAssets();
    const now = clock.now();
    const opened: Ticket[] = [];
    for (const asset of registry.assets()) {
      const plan = plans.get(asset.type);
      if (!plan) continue;
      const usage = usageOf(counterOf(asset.id));
      for (const task of plan.tasks) {
        const done = doneOf(asset.id, task.id);
        const reasons = dueReasons(task, usage, done, now);
        if (!reasons.length) continue;
        const t = tickets.openScheduled({
          siteId: asset.siteId, assetId: asset.id, type: taskType(task.id), title: `${task.title} on ${asset.name} (${reasons.join(', ')})`,
          priority: task.priority ?? 'MINOR',
          evidence: { kind: 'schedule', task: { ...task }, counters: { runH: usage.runS / 3600, starts: usage.starts, cycles: usage.cycles }, reasons, dueTs: dueTs(task, done, now) },
        });
        if (t) { saveDone.run(asset.id, task.id, done.ts, JSON.stringify(done.usage), t.id); opened.push(t); }
      }
    }
    return opened;
  }

  /** A scheduled work order closed: the task was done, its intervals count again from now. */
  function onTicket(t: Ticket): void {
    if (t.status !== 'closed' || !t.assetId || !t.alarmType?.startsWith('maintenance_')) return;
    const row = db.prepare('SELECT task_id FROM maintenance_tasks WHERE asset_id = ? AND ticket_id = ?').get(t.assetId, t.id) as { task_id: string } | undefined;
    if (!row) return;
    saveDone.run(t.assetId, row.task_id, clock.now(), JSON.stringify(usageOf(counterOf(t.assetId))), null);
  }

  return {
    start(): void {
      load();
      refreshAssets();
      bus.on('readings.stored', onReadings);
      bus.on('ticket.updated', onTicket);
      timer = setInterval(tick, config.tickS * 1000);
      timer.unref();
    },
    stop(): void {
      bus.off('readings.stored', onReadings);
      bus.off('ticket.updated', onTicket);
      if (timer) clearInterval(timer);
      timer = null;
      flush();
    },
    tick,
    /** Create or replace the plan of an asset type. */
    setPlan(plan: MaintenancePlan): MaintenancePlan {
      const ids = new Set<string>();
      for (const t of plan.tasks) {
        if (ids.has(t.id)) throw new OutpostError('OUTPOST_BAD_REQUEST', `task "${t.id}" appears twice in the plan of ${plan.assetType}`);
        ids.add(t.id);
        if (t.everyRunH === undefined && t.everyStarts === undefined && t.everyCycles === undefined && t.everyDays === undefined) {
          throw new OutpostError('OUTPOST_BAD_REQUEST', `task "${t.id}" needs at least one interval (everyRunH, everyStarts, everyCycles, everyDays)`);
        }
        if ((t.everyRunH !== undefined || t.everyStarts !== undefined) && !plan.running) throw new OutpostError('OUTPOST_BAD_REQUEST', `task "${t.id}" counts run hours or starts: the plan needs "running"`);
        if (t.everyCycles !== undefined && !plan.cycles) throw new OutpostError('OUTPOST_BAD_REQUEST', `task "${t.id}" counts cycles: the plan needs "cycles"`);
      }
      db.prepare('INSERT INTO maintenance_plans (asset_type, plan) VALUES (?, ?) ON CONFLICT(asset_type) DO UPDATE SET plan = excluded.plan').run(plan.assetType, JSON.stringify(plan));
      plans.set(plan.assetType, plan);
      refreshAssets();
      return plan;
    },
    plans: (): MaintenancePlan[] => [...plans.values()],
    /** An asset's counters and, per task of its plan, when it was last done, how far along it is and its open work order. */
    of(assetId: string) {
      const asset = registry.asset(assetId);
      if (!asset) throw new OutpostError('OUTPOST_NOT_FOUND', `asset ${assetId} does not exist`);
      const s = counterOf(assetId);
      const plan = plans.get(asset.type) ?? null;
      const now = clock.now();
      return {
        assetId, usage: { runH: s.runS / 3600, starts: s.starts, cycles: s.cycles, running: s.running },
        tasks: (plan?.tasks ?? []).map((task) => {
          const done = doneOf(assetId, task.id);
          return { ...task, doneTs: done.ts, progress: taskProgress(task, usageOf(s), done, now), ticketId: done.ticketId };
        }),
      };
    },
  };
}

export type UsageModule = ReturnType<typeof createUsage>;
