// Spare parts: the catalogue, site stores and vans, stock, reservations per work order, and the low-stock alarm.
import type { Clock } from '../../core/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { AlarmRule, PartHolder, Ticket } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';
import type { Alarms } from '../alarms/index.ts';

export interface PartFits { assetTypes?: string[]; alarmTypes?: string[]; faultCodes?: string[] }
export interface SparePart { sku: string; nameEn: string; nameZh: string; fits: PartFits; lowStock: number }
export interface PartStore { id: string; siteId: string; kind: 'site' | 'van'; name: string; zoneId: string | null; engineerId: string | null }
export interface StockLine { storeId: string; sku: string; qty: number; held: number; available: number; low: boolean }
export interface Reservation { id: number; ticketId: string; storeId: string; sku: string; qty: number; engineerId: string | null; status: 'held' | 'consumed' | 'released'; createdTs: number; closedTs: number | null }

/** The low-stock alarm's originator is the store; one alarm per (store, part). See docs/decisions.md. */
export const storeOriginator = (storeId: string) => `store:${storeId}`;
export const lowStockType = (sku: string) => `low_stock:${sku}`;

const toPart = (r: Record<string, unknown>): SparePart => ({ sku: r.sku as string, nameEn: r.name_en as string, nameZh: r.name_zh as string, fits: JSON.parse(r.fits as string), lowStock: r.low_stock as number });
const toStore = (r: Record<string, unknown>): PartStore => ({ id: r.id as string, siteId: r.site_id as string, kind: r.kind as 'site' | 'van', name: r.name as string, zoneId: (r.zone_id as string) ?? null, engineerId: (r.engineer_id as string) ?? null });
const toRes = (r: Record<string, unknown>): Reservation => ({
  id: r.id as number, ticketId: r.ticket_id as string, storeId: r.store_id as string, sku: r.sku as string, qty: r.qty as number,
  engineerId: (r.engineer_id as string) ?? null, status: r.status as Reservation['status'], createdTs: r.created_ts as number, closedTs: (r.closed_ts as number) ?? null,
});

export function createParts(deps: { db: Db; clock: Clock; alarms: Alarms }) {
  const { db, clock, alarms } = deps;
  const stockSql = `SELECT s.store_id, s.sku, s.qty, COALESCE((SELECT SUM(r.qty) FROM part_reservations r WHERE r.store_id = s.store_id AND r.sku = s.sku AND r.status = 'held'), 0) AS held
    FROM part_stock s`;
  const line = (r: Record<string, unknown>, low: number | undefined, kind: string | undefined): StockLine => {
    const available = (r.qty as number) - (r.held as number);
    return { storeId: r.store_id as string, sku: r.sku as string, qty: r.qty as number, held: r.held as number, available, low: kind === 'site' && low !== undefined && available <= low };
  };

  function part(sku: string): SparePart | undefined {
    const r = db.prepare('SELECT * FROM spare_parts WHERE sku = ?').get(sku) as Record<string, unknown> | undefined;
    return r ? toPart(r) : undefined;
  }
  function store(id: string): PartStore | undefined {
    const r = db.prepare('SELECT * FROM part_stores WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? toStore(r) : undefined;
  }
  function stockLine(storeId: string, sku: string): StockLine | null {
    const r = db.prepare(`${stockSql} WHERE s.store_id = ? AND s.sku = ?`).get(storeId, sku) as Record<string, unknown> | undefined;
    return r ? line(r, part(sku)?.lowStock, store(storeId)?.kind) : null;
  }

  /**
   * Raises or clears the store's low-stock alarm for a part. Only site stores alarm: a van's few spares are
   * topped up from the store, and its engineer sees them in the app.
   */
  function checkLow(storeId: string, sku: string): void {
    const s = store(storeId);
    const p = part(sku);
    const l = stockLine(storeId, sku);
    if (!s || !p || !l || s.kind !== 'site') return;
    const rule: AlarmRule = { kind: 'threshold', type: lowStockType(sku), point: sku, levels: [{ severity: 'MINOR', below: p.lowStock + 1 }] };
    const details = { sku, name: p.nameEn, nameZh: p.nameZh, storeId, store: s.name, qty: l.qty, held: l.held, available: l.available, threshold: p.lowStock };
    alarms.apply({ id: storeOriginator(storeId), siteId: s.siteId, assetId: null }, rule, l.low ? 'MINOR' : null, details);
  }

  function setQty(storeId: string, sku: string, qty: number): void {
    db.prepare('INSERT INTO part_stock (store_id, sku, qty) VALUES (?, ?, ?) ON CONFLICT (store_id, sku) DO UPDATE SET qty = excluded.qty').run(storeId, sku, qty);
  }

  return {
    part,
    store,
    parts: (): SparePart[] => (db.prepare('SELECT * FROM spare_parts ORDER BY sku').all() as Record<string, unknown>[]).map(toPart),
    upsertPart(p: SparePart): SparePart {
      db.prepare(`INSERT INTO spare_parts (sku, name_en, name_zh, fits, low_stock) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (sku) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh, fits = excluded.fits, low_stock = excluded.low_stock`)
        .run(p.sku, p.nameEn, p.nameZh, JSON.stringify(p.fits), p.lowStock);
      return part(p.sku)!;
    },
    stores: (siteId?: string): PartStore[] => ((siteId ? db.prepare('SELECT * FROM part_stores WHERE site_id = ? ORDER BY id').all(siteId) : db.prepare('SELECT * FROM part_stores ORDER BY id').all()) as Record<string, unknown>[]).map(toStore),
    upsertStore(s: PartStore): PartStore {
      db.prepare(`INSERT INTO part_stores (id, site_id, kind, name, zone_id, engineer_id) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, kind = excluded.kind, name = excluded.name, zone_id = excluded.zone_id, engineer_id = excluded.engineer_id`)
        .run(s.id, s.siteId, s.kind, s.name, s.zoneId, s.engineerId);
      return store(s.id)!;
    },
    /** Stock lines with what is held for work orders and what is free; one store or all. */
    stock(storeId?: string): StockLine[] {
      const rows = (storeId ? db.prepare(`${stockSql} WHERE s.store_id = ? ORDER BY s.sku`).all(storeId) : db.prepare(`${stockSql} ORDER BY s.store_id, s.sku`).all()) as Record<string, unknown>[];
      const lows = new Map(this.parts().map((p) => [p.sku, p.lowStock]));
      const kinds = new Map(this.stores().map((s) => [s.id, s.kind]));
      return rows.map((r) => line(r, lows.get(r.sku as string), kinds.get(r.store_id as string)));
    },
    /** An admin's count (a delivery, a stocktake): the on-hand quantity, then the low-stock check. */
    setStock(storeId: string, sku: string, qty: number): StockLine {
      if (!store(storeId)) throw new OutpostError('OUTPOST_NOT_FOUND', `store ${storeId} does not exist`);
      if (!part(sku)) throw new OutpostError('OUTPOST_NOT_FOUND', `part ${sku} is not in the catalogue`);
      if (!Number.isInteger(qty) || qty < 0) throw new OutpostError('OUTPOST_BAD_REQUEST', `stock quantity ${qty} must be a whole number >= 0`);
      setQty(storeId, sku, qty);
      checkLow(storeId, sku);
      return stockLine(storeId, sku)!;
    },
    /** The part a job needs: one that fits its alarm type (or fault code) and, when the part names them, its asset type. */
    needFor(t: Pick<Ticket, 'alarmType'>, assetType: string | null, faultCode: string | null = null): SparePart | null {
      if (!t.alarmType && !faultCode) return null;
      for (const p of this.parts()) {
        const f = p.fits;
        const byJob = (t.alarmType !== null && (f.alarmTypes ?? []).includes(t.alarmType)) || (faultCode !== null && (f.faultCodes ?? []).includes(faultCode));
        const byAsset = !f.assetTypes || f.assetTypes.length === 0 || (assetType !== null && f.assetTypes.includes(assetType));
        if (byJob && byAsset) return p;
      }
      return null;
    },
    /** Every store of a site holding some of the part free; what `forTicket` itself holds counts as free for it. */
    holders(siteId: string, sku: string, forTicket = ''): PartHolder[] {
      const rows = db.prepare(`SELECT st.id, st.kind, st.zone_id, s.qty - COALESCE((SELECT SUM(r.qty) FROM part_reservations r WHERE r.store_id = s.store_id AND r.sku = s.sku AND r.status = 'held' AND r.ticket_id <> ?), 0) AS available
        FROM part_stock s JOIN part_stores st ON st.id = s.store_id WHERE st.site_id = ? AND s.sku = ?`).all(forTicket, siteId, sku) as Record<string, unknown>[];
      return rows.map((r) => ({ storeId: r.id as string, kind: r.kind as 'site' | 'van', zoneId: (r.zone_id as string) ?? null, available: r.available as number })).filter((h) => h.available > 0);
    },
    reserve(ticketId: string, engineerId: string | null, storeId: string, sku: string, qty = 1): Reservation {
      const l = stockLine(storeId, sku);
      if (!l || l.available < qty) throw new OutpostError('OUTPOST_CONFLICT', `store ${storeId} has ${l?.available ?? 0} of ${sku} free, ${qty} wanted`);
      const r = db.prepare('INSERT INTO part_reservations (ticket_id, store_id, sku, qty, engineer_id, status, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(ticketId, storeId, sku, qty, engineerId, 'held', clock.now());
      checkLow(storeId, sku);
      return toRes(db.prepare('SELECT * FROM part_reservations WHERE id = ?').get(r.lastInsertRowid) as Record<string, unknown>);
    },
    /** Gives back what a work order held (cancelled, declined, handed to someone else). */
    release(ticketId: string): Reservation[] {
      const held = (db.prepare("SELECT * FROM part_reservations WHERE ticket_id = ? AND status = 'held'").all(ticketId) as Record<string, unknown>[]).map(toRes);
      if (held.length === 0) return [];
      db.prepare("UPDATE part_reservations SET status = 'released', closed_ts = ? WHERE ticket_id = ? AND status = 'held'").run(clock.now(), ticketId);
      for (const r of held) checkLow(r.storeId, r.sku);
      return held;
    },
    /**
     * The engineer signed off with these parts used: each comes out of the work order's reservation first, then the
     * engineer's van, then any site store holding it. What no store has is reported back (the box never counts below zero).
     */
    consume(ticketId: string, engineerId: string, vanStoreId: string | null, siteId: string, used: { sku: string; qty: number }[]): { taken: { storeId: string; sku: string; qty: number }[]; missing: { sku: string; qty: number }[]; released: Reservation[] } {
      const taken: { storeId: string; sku: string; qty: number }[] = [];
      const missing: { sku: string; qty: number }[] = [];
      const touched = new Set<string>();
      const now = clock.now();
      transaction(db, () => {
        const held = (db.prepare("SELECT * FROM part_reservations WHERE ticket_id = ? AND status = 'held' ORDER BY id").all(ticketId) as Record<string, unknown>[]).map(toRes);
        for (const u of used) {
          let left = u.qty;
          const take = (storeId: string, n: number) => {
            if (n <= 0) return;
            const row = db.prepare('SELECT qty FROM part_stock WHERE store_id = ? AND sku = ?').get(storeId, u.sku) as { qty: number } | undefined;
            const k = Math.min(n, row?.qty ?? 0);
            if (k <= 0) return;
            setQty(storeId, u.sku, row!.qty - k);
            taken.push({ storeId, sku: u.sku, qty: k });
            touched.add(`${storeId}\u0000${u.sku}`);
            left -= k;
          };
          for (const r of held.filter((h) => h.sku === u.sku && h.status === 'held')) {
            if (left <= 0) break;
            take(r.storeId, Math.min(left, r.qty));
            db.prepare("UPDATE part_reservations SET status = 'consumed', closed_ts = ? WHERE id = ?").run(now, r.id);
            r.status = 'consumed';
          }
          if (left > 0 && vanStoreId) take(vanStoreId, left);
          if (left > 0) {
            const stores = db.prepare("SELECT s.store_id FROM part_stock s JOIN part_stores st ON st.id = s.store_id WHERE st.site_id = ? AND st.kind = 'site' AND s.sku = ? AND s.qty > 0 ORDER BY s.qty DESC").all(siteId, u.sku) as { store_id: string }[];
            for (const s of stores) if (left > 0) take(s.store_id, left);
          }
          if (left > 0) missing.push({ sku: u.sku, qty: left });
        }
      });
      // What was held but not used goes back on the shelf.
      const released = this.release(ticketId);
      for (const k of touched) { const [s, sku] = k.split('\u0000'); checkLow(s, sku); }
      return { taken, missing, released };
    },
    reservations: (ticketId: string): Reservation[] => (db.prepare('SELECT * FROM part_reservations WHERE ticket_id = ? ORDER BY id').all(ticketId) as Record<string, unknown>[]).map(toRes),
    /** Brings every site store's low-stock alarms in line with the counts (at start, after a restore). */
    checkAll(): void {
      for (const r of db.prepare("SELECT s.store_id, s.sku FROM part_stock s JOIN part_stores st ON st.id = s.store_id WHERE st.kind = 'site'").all() as { store_id: string; sku: string }[]) checkLow(r.store_id, r.sku);
    },
  };
}

export type Parts = ReturnType<typeof createParts>;
