// SQLite rows of Modbus links (migration 3) and the write log: who wrote what, why, and what the device said.
import type { Db } from '../storage/index.ts';
import type { LinkTarget } from './gateway.ts';

export type ModbusLink = LinkTarget & { deviceId: string; family: string; unitId: number; pollMs: number };

export interface WriteLogEntry {
  id: number; ts: number; deviceId: string; point: string; value: number; fc: number; address: number;
  username: string; reason: string; result: 'ok' | 'error'; error: string | null;
}

export function createLinkStore(db: Db) {
  return {
    links(): ModbusLink[] {
      return (db.prepare('SELECT * FROM modbus_links ORDER BY device_id').all() as Record<string, unknown>[]).map((r) => {
        const base = { deviceId: r.device_id as string, family: r.family as string, unitId: r.unit_id as number, pollMs: r.poll_ms as number };
        return r.transport === 'tcp'
          ? { ...base, transport: 'tcp' as const, host: r.host as string, port: r.port as number }
          : { ...base, transport: 'rtu' as const, path: r.path as string, baud: r.baud as number, parity: r.parity as 'none' | 'even' | 'odd' };
      });
    },
    add(l: ModbusLink): void {
      db.prepare('INSERT INTO modbus_links (device_id, family, transport, host, port, path, baud, parity, unit_id, poll_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        l.deviceId, l.family, l.transport, l.transport === 'tcp' ? l.host : null, l.transport === 'tcp' ? l.port : null,
        l.transport === 'rtu' ? l.path : null, l.transport === 'rtu' ? l.baud : null, l.transport === 'rtu' ? l.parity : null, l.unitId, l.pollMs);
    },
    logWrite(e: Omit<WriteLogEntry, 'id'>): WriteLogEntry {
      const r = db.prepare('INSERT INTO modbus_writes (ts, device_id, point, value, fc, address, username, reason, result, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(e.ts, e.deviceId, e.point, e.value, e.fc, e.address, e.username, e.reason, e.result, e.error);
      return { id: Number(r.lastInsertRowid), ...e };
    },
    writes(deviceId: string, limit = 100): WriteLogEntry[] {
      return db.prepare(`SELECT id, ts, device_id AS deviceId, point, value, fc, address, username, reason, result, error
        FROM modbus_writes WHERE device_id = ? ORDER BY id DESC LIMIT ?`).all(deviceId, limit) as unknown as WriteLogEntry[];
    },
  };
}

export type LinkStore = ReturnType<typeof createLinkStore>;
