// The site map kept in SQLite (zone_links) with its all-pairs walking matrix rebuilt whenever the map changes.
import { OutpostError } from '../../core/index.ts';
import { walkMatrix, type WalkMatrix, type ZoneLink } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';

export function createSiteMap(db: Db) {
  let matrix: WalkMatrix | null = null;
  let zoneCount = -1;
  const countZones = db.prepare('SELECT COUNT(*) AS n FROM zones');

  function links(siteId?: string): ZoneLink[] {
    const rows = siteId
      ? db.prepare('SELECT l.a, l.b, l.minutes FROM zone_links l JOIN zones z ON z.id = l.a WHERE z.site_id = ? ORDER BY l.a, l.b').all(siteId)
      : db.prepare('SELECT a, b, minutes FROM zone_links ORDER BY a, b').all();
    return rows as unknown as ZoneLink[];
  }

  function check(l: ZoneLink): ZoneLink {
    if (l.a === l.b) throw new OutpostError('OUTPOST_BAD_REQUEST', `a walkway joins two different zones (${l.a} twice)`);
    if (!(Number.isFinite(l.minutes) && l.minutes >= 0 && l.minutes <= 24 * 60)) throw new OutpostError('OUTPOST_BAD_REQUEST', `walking minutes ${l.minutes} between ${l.a} and ${l.b} must be 0..1440`);
    const za = db.prepare('SELECT site_id FROM zones WHERE id = ?').get(l.a) as { site_id: string } | undefined;
    const zb = db.prepare('SELECT site_id FROM zones WHERE id = ?').get(l.b) as { site_id: string } | undefined;
    if (!za) throw new OutpostError('OUTPOST_NOT_FOUND', `zone ${l.a} does not exist`);
    if (!zb) throw new OutpostError('OUTPOST_NOT_FOUND', `zone ${l.b} does not exist`);
    if (za.site_id !== zb.site_id) throw new OutpostError('OUTPOST_BAD_REQUEST', `zones ${l.a} and ${l.b} are on different sites`);
    return l.a < l.b ? l : { a: l.b, b: l.a, minutes: l.minutes };
  }

  return {
    links,
    /** Replaces one site's walkways (the admin's map editor saves the whole map). */
    setLinks(siteId: string, list: ZoneLink[]): ZoneLink[] {
      const checked = list.map(check);
      transaction(db, () => {
        db.prepare('DELETE FROM zone_links WHERE a IN (SELECT id FROM zones WHERE site_id = ?)').run(siteId);
        const ins = db.prepare('INSERT INTO zone_links (a, b, minutes) VALUES (?, ?, ?) ON CONFLICT (a, b) DO UPDATE SET minutes = excluded.minutes');
        for (const l of checked) ins.run(l.a, l.b, l.minutes);
      });
      matrix = null;
      return links(siteId);
    },
    upsertLink(l: ZoneLink): void {
      const c = check(l);
      db.prepare('INSERT INTO zone_links (a, b, minutes) VALUES (?, ?, ?) ON CONFLICT (a, b) DO UPDATE SET minutes = excluded.minutes').run(c.a, c.b, c.minutes);
      matrix = null;
    },
    /** The precomputed matrix; rebuilt after an edit or when zones were added since. */
    matrix(): WalkMatrix {
      const n = (countZones.get() as { n: number }).n;
      if (!matrix || n !== zoneCount) {
        const zones = (db.prepare('SELECT id FROM zones ORDER BY id').all() as { id: string }[]).map((z) => z.id);
        matrix = walkMatrix(zones, links());
        zoneCount = n;
      }
      return matrix;
    },
  };
}

export type SiteMap = ReturnType<typeof createSiteMap>;
