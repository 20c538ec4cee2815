// The site model in memory: sites, zones, assets, profiles and devices, loaded from SQLite and kept in step with it.
import type { Db } from '../storage/index.ts';
import type { DeviceProfile, PointDef, AlarmRule } from '../../domain/index.ts';
import { OutpostError, hashPassword } from '../../core/index.ts';

export interface Site { id: string; name: string; timezone: string }
/** lat/lon: the zone's centre (WGS84), when marked: the engineer app's position is placed in the nearest zone. */
export interface Zone { id: string; siteId: string; name: string; lat?: number | null; lon?: number | null }
export interface Asset { id: string; siteId: string; zoneId: string | null; name: string; type: string; criticality: number }
export interface Device {
  id: string; siteId: string; assetId: string | null; profileId: string; name: string;
  passwordHash: string; status: 'online' | 'offline' | 'unknown'; lastSeenTs: number | null; demo: boolean;
}

/** A device with what ingest needs to judge its readings: its profile and point ids. */
export interface DeviceEntry {
  device: Device;
  profile: DeviceProfile;
  points: Map<string, { id: number; def: PointDef }>;
}

export interface NewDevice { id: string; siteId: string; assetId?: string | null; profileId: string; name: string; password: string; demo?: boolean }

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function createRegistry(db: Db) {
  const devices = new Map<string, DeviceEntry>();
  const profiles = new Map<string, DeviceProfile>();

  function loadProfile(row: { id: string; name: string; points: string; rules: string }): DeviceProfile {
    return { id: row.id, name: row.name, points: JSON.parse(row.points) as PointDef[], rules: JSON.parse(row.rules) as AlarmRule[] };
  }

  function entryFor(d: Device): DeviceEntry {
    const profile = profiles.get(d.profileId);
    if (!profile) throw new OutpostError('OUTPOST_NOT_FOUND', `device ${d.id} uses unknown profile ${d.profileId}`);
    const insert = db.prepare('INSERT OR IGNORE INTO points (device_id, key) VALUES (?, ?)');
    const select = db.prepare('SELECT id FROM points WHERE device_id = ? AND key = ?');
    const points = new Map<string, { id: number; def: PointDef }>();
    for (const def of profile.points) {
      insert.run(d.id, def.key);
      const { id } = select.get(d.id, def.key) as { id: number };
      points.set(def.key, { id, def });
    }
    return { device: d, profile, points };
  }

  function rowToDevice(r: Record<string, unknown>): Device {
    return {
      id: r.id as string, siteId: r.site_id as string, assetId: (r.asset_id as string) ?? null, profileId: r.profile_id as string,
      name: r.name as string, passwordHash: r.password_hash as string, status: r.status as Device['status'],
      lastSeenTs: (r.last_seen_ts as number) ?? null, demo: r.demo === 1,
    };
  }

  const registry = {
    load(): void {
      profiles.clear(); devices.clear();
      for (const row of db.prepare('SELECT * FROM device_profiles').all()) {
        const p = loadProfile(row as never); profiles.set(p.id, p);
      }
      // Nobody is connected to a broker that is not running yet: statuses start offline, and
      // connections set them online. (No offline alarm is raised for this: it is not news.)
      db.prepare("UPDATE devices SET status = 'offline' WHERE status = 'online'").run();
      for (const row of db.prepare('SELECT * FROM devices').all()) {
        const d = rowToDevice(row as Record<string, unknown>); devices.set(d.id, entryFor(d));
      }
    },
    get: (id: string): DeviceEntry | undefined => devices.get(id),
    devices: (): DeviceEntry[] => [...devices.values()],
    profiles: (): DeviceProfile[] => [...profiles.values()],
    sites: (): Site[] => db.prepare('SELECT id, name, timezone FROM sites ORDER BY id').all() as unknown as Site[],
    site: (id: string): Site | undefined => db.prepare('SELECT id, name, timezone FROM sites WHERE id = ?').get(id) as unknown as Site | undefined,
    zones: (siteId: string): Zone[] => db.prepare('SELECT id, site_id AS siteId, name, lat, lon FROM zones WHERE site_id = ? ORDER BY name').all(siteId) as unknown as Zone[],
    assets: (siteId?: string): Asset[] => (siteId
      ? db.prepare('SELECT id, site_id AS siteId, zone_id AS zoneId, name, type, criticality FROM assets WHERE site_id = ? ORDER BY name').all(siteId)
      : db.prepare('SELECT id, site_id AS siteId, zone_id AS zoneId, name, type, criticality FROM assets ORDER BY name').all()) as unknown as Asset[],
    asset: (id: string): Asset | undefined => db.prepare('SELECT id, site_id AS siteId, zone_id AS zoneId, name, type, criticality FROM assets WHERE id = ?').get(id) as unknown as Asset | undefined,

    upsertSite(s: Site): void {
      db.prepare('INSERT INTO sites (id, name, timezone) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone').run(s.id, s.name, s.timezone);
    },
    upsertZone(z: Zone): void {
      db.prepare('INSERT INTO zones (id, site_id, name, lat, lon) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon')
        .run(z.id, z.siteId, z.name, z.lat ?? null, z.lon ?? null);
    },
    upsertAsset(a: Asset): void {
      db.prepare(`INSERT INTO assets (id, site_id, zone_id, name, type, criticality) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET zone_id = excluded.zone_id, name = excluded.name, type = excluded.type, criticality = excluded.criticality`)
        .run(a.id, a.siteId, a.zoneId, a.name, a.type, a.criticality);
    },
    upsertProfile(p: DeviceProfile): void {
      db.prepare('INSERT INTO device_profiles (id, name, points, rules) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, points = excluded.points, rules = excluded.rules')
        .run(p.id, p.name, JSON.stringify(p.points), JSON.stringify(p.rules));
      profiles.set(p.id, p);
      for (const e of devices.values()) if (e.device.profileId === p.id) devices.set(e.device.id, entryFor(e.device));
    },
    async addDevice(n: NewDevice): Promise<DeviceEntry> {
      if (!ID_PATTERN.test(n.id)) throw new OutpostError('OUTPOST_BAD_REQUEST', `device id "${n.id}" must be 1-64 letters, digits, _ or - (it is an MQTT topic level)`);
      if (devices.has(n.id)) throw new OutpostError('OUTPOST_CONFLICT', `device ${n.id} already exists`);
      if (!profiles.has(n.profileId)) throw new OutpostError('OUTPOST_NOT_FOUND', `profile ${n.profileId} does not exist`);
      if (!db.prepare('SELECT 1 FROM sites WHERE id = ?').get(n.siteId)) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${n.siteId} does not exist`);
      if (n.assetId && !registry.asset(n.assetId)) throw new OutpostError('OUTPOST_NOT_FOUND', `asset ${n.assetId} does not exist`);
      const passwordHash = await hashPassword(n.password);
      db.prepare('INSERT INTO devices (id, site_id, asset_id, profile_id, name, password_hash, demo) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(n.id, n.siteId, n.assetId ?? null, n.profileId, n.name, passwordHash, n.demo ? 1 : 0);
      const device: Device = { id: n.id, siteId: n.siteId, assetId: n.assetId ?? null, profileId: n.profileId, name: n.name, passwordHash, status: 'unknown', lastSeenTs: null, demo: !!n.demo };
      const entry = entryFor(device);
      devices.set(device.id, entry);
      return entry;
    },
    setStatus(id: string, status: Device['status'], ts: number): void {
      const e = devices.get(id);
      if (!e) return;
      e.device.status = status;
      e.device.lastSeenTs = ts;
      db.prepare('UPDATE devices SET status = ?, last_seen_ts = ? WHERE id = ?').run(status, ts, id);
    },
    /** Only marks last-seen in memory; persisted with the next status change (a hot path). */
    touch(id: string, ts: number): void {
      const e = devices.get(id);
      if (e) e.device.lastSeenTs = ts;
    },
    /** Calls fn for each reading with each of its device's rules of `kind` on that reading's point: where every reading-driven watcher starts. */
    eachRuleOn<K extends AlarmRule['kind'], R extends { deviceId: string; point: string }>(rows: R[], kind: K, fn: (row: R, entry: DeviceEntry, rule: Extract<AlarmRule, { kind: K }>) => void): void {
      for (const row of rows) {
        const entry = devices.get(row.deviceId);
        if (!entry) continue;
        for (const rule of entry.profile.rules) if (rule.kind === kind && 'point' in rule && rule.point === row.point) fn(row, entry, rule as Extract<AlarmRule, { kind: K }>);
      }
    },
    /** True while only demo devices exist: the demo site runs until a real device is configured. */
    onlyDemo: (): boolean => [...devices.values()].every((e) => e.device.demo),
  };
  return registry;
}

export type Registry = ReturnType<typeof createRegistry>;
