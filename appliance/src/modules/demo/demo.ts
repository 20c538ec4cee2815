// The demo site: seeded and simulated while no real device is configured, so a fresh box shows its loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../core/index.ts';
import type { Registry } from '../devices/index.ts';
import type { JobTemplate, MaintenancePlan } from '../../domain/index.ts';
import { DEMO_SITE, DEMO_ZONES, DEMO_ASSETS, DEMO_DEVICES, DEMO_PLANS, scaledProfiles } from '../../../../ops/demo-site/site.ts';
import { DEMO_TEMPLATES } from '../../../../ops/demo-site/templates.ts';

const SIMULATOR = fileURLToPath(new URL('../../../../ops/demo-site/simulator.ts', import.meta.url));

const DEMO_KB = fileURLToPath(new URL('../../../../ops/demo-site/kb', import.meta.url));

export function createDemo(deps: { registry: Registry; logger: Logger; usage?: { setPlan(p: MaintenancePlan): unknown }; kb?: { importPath(path: string): unknown }; field?: { upsertTemplate(t: JobTemplate): unknown } }, config: { enabled: 'auto' | boolean; speedup: number }) {
  const { registry, logger } = deps;
  let child: ChildProcess | null = null;

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
      await Promise.all(DEMO_DEVICES.filter((d) => !registry.get(d.id)).map((d) => registry.addDevice({ ...d, demo: true })));
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
