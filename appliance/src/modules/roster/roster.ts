// The roster: engineers, supervisors and site managers, looked up by id or by their login; where each one last was.
import type { Bus, Clock } from '../../core/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { Engineer, EngineerRole } from '../../domain/index.ts';
import type { Db } from '../storage/index.ts';

function rowToEngineer(r: Record<string, unknown>): Engineer {
  return {
    id: r.id as string, siteId: r.site_id as string, username: (r.username as string) ?? null, name: r.name as string, phone: (r.phone as string) ?? null,
    role: r.role as EngineerRole, active: r.active === 1, profile: JSON.parse(r.profile as string) as Record<string, unknown>,
    locationZoneId: (r.location_zone_id as string) ?? null, locationTs: (r.location_ts as number) ?? null,
  };
}

export function createRoster(deps: { db: Db; bus: Bus; clock: Clock }) {
  const { db, bus, clock } = deps;
  const byId = db.prepare('SELECT * FROM engineers WHERE id = ?');
  const byUser = db.prepare('SELECT * FROM engineers WHERE username = ?');
  return {
    get(id: string): Engineer | undefined {
      const r = byId.get(id) as Record<string, unknown> | undefined;
      return r ? rowToEngineer(r) : undefined;
    },
    /** The roster entry behind a login, for the engineer app's "my jobs". */
    byUsername(username: string): Engineer | undefined {
      const r = byUser.get(username) as Record<string, unknown> | undefined;
      return r ? rowToEngineer(r) : undefined;
    },
    list(siteId?: string): Engineer[] {
      const rows = siteId ? db.prepare('SELECT * FROM engineers WHERE site_id = ? ORDER BY name').all(siteId) : db.prepare('SELECT * FROM engineers ORDER BY name').all();
      return (rows as Record<string, unknown>[]).map(rowToEngineer);
    },
    upsert(e: Omit<Engineer, 'locationZoneId' | 'locationTs'>): Engineer {
      if (e.username && db.prepare('SELECT id FROM engineers WHERE username = ? AND id <> ?').get(e.username, e.id)) {
        throw new OutpostError('OUTPOST_CONFLICT', `login ${e.username} already belongs to another roster entry`);
      }
      db.prepare(`INSERT INTO engineers (id, site_id, username, name, phone, role, active, profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, username = excluded.username, name = excluded.name, phone = excluded.phone,
        role = excluded.role, active = excluded.active, profile = excluded.profile`)
        .run(e.id, e.siteId, e.username, e.name, e.phone, e.role, e.active ? 1 : 0, JSON.stringify(e.profile));
      bus.emit('roster.changed', { engineerId: e.id, siteId: e.siteId });
      return this.get(e.id)!;
    },
    /** Someone's last known place: a QR check-in at an asset, or the app's position when they allow it. */
    locate(id: string, zoneId: string, source: 'qr' | 'app'): void {
      const ts = clock.now();
      const r = db.prepare('UPDATE engineers SET location_zone_id = ?, location_ts = ? WHERE id = ?').run(zoneId, ts, id);
      if (r.changes === 0) throw new OutpostError('OUTPOST_NOT_FOUND', `engineer ${id} does not exist`);
      bus.emit('engineer.located', { engineerId: id, zoneId, source, ts });
    },
  };
}

export type Roster = ReturnType<typeof createRoster>;
