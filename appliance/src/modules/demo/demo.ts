// The demo site: seeded and simulated while no real device is configured, so a fresh box shows its loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../core/index.ts';
import type { Registry } from '../devices/index.ts';
import type { JobTemplate, MaintenancePlan } from '../../domain/index.ts';
import { DEMO_SITE, DEMO_ZONES, DEMO_ASSETS, DEMO_DEVICES, DEMO_PLANS, scaledProfiles } from '../../../../ops/demo-site/site.ts';
import { DEMO_TEMPLATES } from '../../../../ops/demo-site/templates.ts';
import { DEMO_EXTRA_ZONES, DEMO_WALKWAYS, DEMO_PARTS, DEMO_STORES, DEMO_STOCK, demoRoster } from '../../../../ops/demo-site/roster.ts';
import type { Roster } from '../roster/index.ts';
import type { Dispatch } from '../dispatch/index.ts';

/** What the demo's roster needs: people, their logins, the site map and the parts (all optional: a box may lack them). */
interface DemoPeople {
  roster?: Roster;
  dispatch?: Dispatch;
  auth?: { addUser(u: string, p: string, role: 'engineer'): Promise<void>; removeUser(u: string): boolean; verify(u: string, p: string): Promise<unknown> };
  now?: () => number;
}

const SIMULATOR = fileURLToPath(new URL('../../../../ops/demo-site/simulator.ts', import.meta.url));

const DEMO_KB = fileURLToPath(new URL('../../../../ops/demo-site/kb', import.meta.url));

export function createDemo(
  deps: {
    registry: Registry; logger: Logger; usage?: { setPlan(p: MaintenancePlan): unknown }; kb?: { importPath(path: string): unknown };
    field?: { upsertTemplate(t: JobTemplate): unknown };
  } & DemoPeople,
  config: { enabled: 'auto' | boolean; speedup: number; engineerPassword?: string },
) {
  const { registry, logger } = deps;
  let child: ChildProcess | null = null;

  /** The roster (on call renewed from today), its logins, the walkways, stores, parts and opening stock. */
  async function seedPeople(): Promise<void> {
    const { roster, dispatch, auth } = deps;
    for (const z of DEMO_EXTRA_ZONES) registry.upsertZone(z);
    if (dispatch) {
      dispatch.siteMap.setLinks(DEMO_SITE.id, DEMO_WALKWAYS);
      for (const p of DEMO_PARTS) dispatch.parts.upsertPart(p);
      for (const s of DEMO_STORES) dispatch.parts.upsertStore(s);
      const counted = new Set(dispatch.parts.stock().map((l) => `${l.storeId}/${l.sku}`));
      for (const [store, sku, qty] of DEMO_STOCK) if (!counted.has(`${store}/${sku}`)) dispatch.parts.setStock(store, sku, qty);
    }
    if (!roster) return;
    const people = demoRoster((deps.now ?? Date.now)());
    for (const e of people) roster.upsert({ ...e, profile: e.profile as Record<string, unknown> });
    const password = config.engineerPassword;
    if (!auth || !password) return;
    await Promise.all(people.filter((e) => e.username).map(async (e) => {
      // The configured password is the demo's: an earlier start's login with another one is replaced.
      if (await auth.verify(e.username!, password)) return;
      auth.removeUser(e.username!);
      await auth.addUser(e.username!, password, 'engineer');
    }));
  }

  return {
    /** Whether the demo should run: forced on/off, or 'auto' while every configured device is a demo one. */
    wanted: (): boolean => config.enabled === true || (config.enabled === 'auto' && registry.onlyDemo()),

    async seed(): Promise<void> {
      registry.upsertSite(DEMO_SITE);
      for (const z of DEMO_ZONES) registry.upsertZone(z);
      for (const a of DEMO_ASSETS) registry.upsertAsset(a);
      for (const p of scaledProfiles(config.speedup)) registry.upsertProfile(p);
      for (const p of DEMO_PLANS) deps.usage?.setPlan(p);
      // The demo's manuals: re-imported on each seed, which updates them in place (same file, same sections).
      deps.kb?.importPath(DEMO_KB);
      for (const t of DEMO_TEMPLATES) deps.field?.upsertTemplate(t);
      // Hashed side by side on the thread pool: first start is the one a new user waits for.
      await Promise.all([
        ...DEMO_DEVICES.filter((d) => !registry.get(d.id)).map((d) => registry.addDevice({ ...d, demo: true })),
        seedPeople(),
      ]);
    },

    /** A real device took over: the demo's people stop being dispatched to and their logins go. */
    retire(): void {
      const { roster, auth } = deps;
      if (!roster) return;
      for (const e of demoRoster(0)) {
        const cur = roster.get(e.id);
        if (cur?.active) roster.upsert({ ...cur, active: false });
        if (e.username && cur) auth?.removeUser(e.username);
      }
    },

    start(mqttPort: number): void {
      child = spawn(process.execPath, [SIMULATOR], {
        env: { ...process.env, OUTPOST_DEMO_MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`, OUTPOST_DEMO_SPEEDUP: String(config.speedup) },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('exit', (code, signal) => { if (child) logger.warn({ code, signal }, 'demo simulator exited'); child = null; });
      logger.info({ speedup: config.speedup }, 'demo site running (it stops once a real device is configured)');
    },

    async stop(): Promise<void> {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGTERM'); });
    },
    running: (): boolean => child !== null,
  };
}

export type Demo = ReturnType<typeof createDemo>;
