// Alerts and their deliveries in SQLite (migration 9): written before anything is sent, so a restart loses none.
import type { Alert, AlertDelivery, DeliveryStatus } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';

type Row = Record<string, unknown>;

export interface DueDelivery { alertId: string; channel: string; target: string; attempts: number }

export function createAlertStore(db: Db) {
  const insAlert = db.prepare(`INSERT INTO alerts (id, ticket_id, engineer_id, site_id, reason, level, created_ts, ack_due_ts, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insDelivery = db.prepare(`INSERT OR IGNORE INTO alert_deliveries (alert_id, channel, target, status, attempts, next_ts) VALUES (?, ?, ?, 'pending', 0, ?)`);
  const byId = db.prepare('SELECT * FROM alerts WHERE id = ?');
  const deliveriesOf = db.prepare('SELECT * FROM alert_deliveries WHERE alert_id = ? ORDER BY channel, target');

  function toAlert(r: Row): Alert {
    const m = JSON.parse(r.message as string) as Omit<Alert, 'id' | 'ticketId' | 'engineerId' | 'siteId' | 'reason' | 'level' | 'createdTs' | 'ackDueTs' | 'ackedTs' | 'ackedBy' | 'deliveries'>;
    const deliveries = (deliveriesOf.all(r.id as string) as Row[]).map((d): AlertDelivery => ({
      channel: d.channel as string, target: d.target as string, status: d.status as DeliveryStatus, attempts: d.attempts as number,
      lastTs: (d.last_ts as number) ?? null, nextTs: (d.next_ts as number) ?? null, detail: (d.detail as string) ?? null,
    }));
    return {
      id: r.id as string, ticketId: r.ticket_id as string, engineerId: r.engineer_id as string, siteId: r.site_id as string,
      reason: r.reason as Alert['reason'], level: (r.level as number) ?? null, createdTs: r.created_ts as number, ackDueTs: r.ack_due_ts as number,
      ackedTs: (r.acked_ts as number) ?? null, ackedBy: (r.acked_by as string) ?? null, ...m, deliveries,
    };
  }

  return {
    /** The alert and one pending delivery per channel target, in one transaction. */
    insert(a: Alert, deliveries: { channel: string; target: string; nextTs: number | null }[]): Alert {
      const { id, ticketId, engineerId, siteId, reason, level, createdTs, ackDueTs, ackedTs: _a, ackedBy: _b, deliveries: _d, ...message } = a;
      const write = () => {
        insAlert.run(id, ticketId, engineerId, siteId, reason, level, createdTs, ackDueTs, JSON.stringify(message));
        for (const d of deliveries) insDelivery.run(id, d.channel, d.target, d.nextTs);
      };
      // A bus event may be announced from inside another module's transaction: join it rather than fail to nest.
      if (db.isTransaction) write();
      else transaction(db, write);
      return this.get(id)!;
    },
    get(id: string): Alert | undefined {
      const r = byId.get(id) as Row | undefined;
      return r ? toAlert(r) : undefined;
    },
    forEngineer(engineerId: string, limit: number): Alert[] {
      return (db.prepare('SELECT * FROM alerts WHERE engineer_id = ? ORDER BY created_ts DESC, id DESC LIMIT ?').all(engineerId, limit) as Row[]).map(toAlert);
    },
    forTicket(ticketId: string): Alert[] {
      return (db.prepare('SELECT * FROM alerts WHERE ticket_id = ? ORDER BY created_ts, id').all(ticketId) as Row[]).map(toAlert);
    },
    /** An unacknowledged alert to this person about this ticket since `sinceTs`: the person already knows. */
    recentUnacked(ticketId: string, engineerId: string, sinceTs: number): boolean {
      return !!db.prepare('SELECT 1 FROM alerts WHERE ticket_id = ? AND engineer_id = ? AND acked_ts IS NULL AND created_ts >= ? LIMIT 1').get(ticketId, engineerId, sinceTs);
    },
    /** Acks this person's open alerts on the ticket; returns how many. */
    ackTicket(ticketId: string, engineerId: string, ts: number, by: string): number {
      return Number(db.prepare('UPDATE alerts SET acked_ts = ?, acked_by = ? WHERE ticket_id = ? AND engineer_id = ? AND acked_ts IS NULL').run(ts, by, ticketId, engineerId).changes);
    },
    due(now: number, limit = 100): DueDelivery[] {
      return (db.prepare(`SELECT alert_id, channel, target, attempts FROM alert_deliveries WHERE status = 'pending' AND next_ts IS NOT NULL AND next_ts <= ?
        ORDER BY next_ts LIMIT ?`).all(now, limit) as Row[]).map((r) => ({ alertId: r.alert_id as string, channel: r.channel as string, target: r.target as string, attempts: r.attempts as number }));
    },
    /** Live deliveries still waiting for this person's app to be open. */
    waitingLive(engineerId: string): string[] {
      return (db.prepare(`SELECT d.alert_id FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
        WHERE d.channel = 'live' AND d.status = 'pending' AND a.engineer_id = ? ORDER BY a.created_ts`).all(engineerId) as Row[]).map((r) => r.alert_id as string);
    },
    record(alertId: string, channel: string, target: string, status: DeliveryStatus, attempts: number, lastTs: number, nextTs: number | null, detail: string | null): void {
      db.prepare('UPDATE alert_deliveries SET status = ?, attempts = ?, last_ts = ?, next_ts = ?, detail = ? WHERE alert_id = ? AND channel = ? AND target = ?')
        .run(status, attempts, lastTs, nextTs, detail, alertId, channel, target);
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
