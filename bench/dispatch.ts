// Dispatch decision time with 200 engineers and 1,000 open work orders: Outpost's decision beside the naive one
// (shortest walks recomputed for every decision, one SQL count per engineer), same box, same tickets, same answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { createOutpost } from '../appliance/src/outpost.ts';
import { walkMatrix, localTime, rankCandidates, OPEN_STATUSES, TRADES, type Trade, type Severity, type ZoneLink } from '../appliance/src/domain/index.ts';
import { percentile, printTable, fmt } from './lib/harness.ts';

const ENGINEERS = Number(process.env.BENCH_ENGINEERS ?? 200);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1000);
const ZONES = 40, ASSETS = 100, SITE = 'bench-site';
const TYPES = ['bearing_overheat', 'vibration_high', 'seal_leak', 'pressure_low', 'discharge_overheat', 'supply_temp_high', 'motor_trip', 'filter_clogged', 'belt_slip', 'no_flow'];
const PRIORITIES: Severity[] = ['WARNING', 'MINOR', 'MAJOR', 'CRITICAL'];
const TRADES_USED: Trade[] = ['mechanical', 'electrical', 'hvac', 'plumbing', 'general'];

// A deterministic pseudo-random sequence: the same site every run.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-dispatch-'));
// Dispatch not started: the bench calls its decision itself, on a fixed picture of the site.
const box = createOutpost({ dataDir: dir, http: { port: 0, host: '127.0.0.1' }, mqtt: { port: 0, host: '127.0.0.1' }, demo: { enabled: false }, log: { level: 'warn' }, auth: { adminPassword: 'bench-admin-pw' }, dispatch: { enabled: false } } as never, { env: {} });
const { registry, roster, tickets, dispatch, db } = box;
registry.load();
registry.upsertSite({ id: SITE, name: 'Bench site', timezone: 'Asia/Shanghai' });
const zones = Array.from({ length: ZONES }, (_, i) => `z${String(i).padStart(2, '0')}`);
for (const z of zones) registry.upsertZone({ id: z, siteId: SITE, name: z });
// A corridor through every zone plus 2 shortcuts per zone: 120 walkways.
const links: ZoneLink[] = [];
for (let i = 1; i < ZONES; i++) links.push({ a: zones[i - 1], b: zones[i], minutes: 1 + Math.round(rnd() * 4) });
for (let i = 0; i < ZONES * 2; i++) { const a = pick(zones), b = pick(zones); if (a !== b && !links.some((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a))) links.push({ a, b, minutes: 2 + Math.round(rnd() * 10) }); }
dispatch.siteMap.setLinks(SITE, links);
const assetTypes = ['pump', 'fan', 'chiller', 'compressor', 'switchgear'];
for (let i = 0; i < ASSETS; i++) registry.upsertAsset({ id: `a${i}`, siteId: SITE, zoneId: pick(zones), name: `Asset ${i}`, type: assetTypes[i % assetTypes.length], criticality: 1 + (i % 5) });

// Parts: one per alarm type, in 3 site stores and in a quarter of the vans.
for (const t of TYPES) dispatch.parts.upsertPart({ sku: `P-${t}`, nameEn: t, nameZh: t, lowStock: 0, fits: { alarmTypes: [t] } });
for (let s = 0; s < 3; s++) {
  dispatch.parts.upsertStore({ id: `store${s}`, siteId: SITE, kind: 'site', name: `Store ${s}`, zoneId: zones[s * 13], engineerId: null });
  for (const t of TYPES) dispatch.parts.setStock(`store${s}`, `P-${t}`, 5000);
}
const ALL_DAY = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }];
for (let i = 0; i < ENGINEERS; i++) {
  const id = `e${String(i).padStart(3, '0')}`;
  const van = i % 4 === 0 ? `van-${id}` : undefined;
  if (van) {
    dispatch.parts.upsertStore({ id: van, siteId: SITE, kind: 'van', name: van, zoneId: null, engineerId: id });
    dispatch.parts.setStock(van, `P-${pick(TYPES)}`, 3);
  }
  const skills = [...new Set([pick(TRADES_USED), pick(TRADES_USED)])].map((trade) => ({ trade, level: 1 + Math.floor(rnd() * 3) }));
  roster.upsert({
    id, siteId: SITE, username: null, name: `Engineer ${i}`, phone: null, role: 'engineer', active: true,
    profile: {
      skills, certificates: [{ name: 'electrical-licence', expiresTs: i % 3 ? null : 0 }, { name: 'refrigerant-handling', expiresTs: null }],
      zones: i % 5 === 0 ? [pick(zones), pick(zones), pick(zones)] : [], homeZoneId: pick(zones), shifts: i % 10 === 0 ? [] : ALL_DAY, vanStoreId: van,
    },
  });
  if (i % 2 === 0) roster.locate(id, pick(zones), 'qr');
}
const ids: string[] = [];
for (let i = 0; i < TICKETS; i++) {
  const t = tickets.openScheduled({
    siteId: SITE, assetId: `a${i % ASSETS}`, type: TYPES[Math.floor(i / ASSETS) % TYPES.length], title: `Job ${i}`, priority: pick(PRIORITIES), category: pick(TRADES_USED),
    evidence: { kind: 'schedule', task: {}, counters: {}, reasons: [], dueTs: Date.now() },
  })!;
  ids.push(t.id);
  // Four in five are already with someone: that is the load the decision weighs.
  if (i % 5) tickets.assign(t.id, `e${String(Math.floor(rnd() * ENGINEERS)).padStart(3, '0')}`, 'dispatch', null);
}
const open = (db.prepare(`SELECT COUNT(*) AS n FROM tickets WHERE status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`).get() as { n: number }).n;

/** The naive peer: the same scoring, but the shortest walks are recomputed for each decision and every engineer's load is its own SQL count. */
const countFor = db.prepare(`SELECT COUNT(*) AS n FROM tickets WHERE assignee = ? AND status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`);
function naive(ticketId: string) {
  const t = tickets.get(ticketId);
  const now = Date.now();
  const engineers = roster.list(t.siteId);
  const siteLinks = dispatch.siteMap.links(t.siteId);
  const zoneIds = registry.zones(t.siteId).map((z) => z.id);
  const load = new Map<string, number>();
  for (const e of engineers) load.set(e.id, (countFor.get(e.id) as { n: number }).n - (t.assignee === e.id ? 1 : 0));
  const asset = t.assetId ? registry.asset(t.assetId) : undefined;
  const part = dispatch.parts.needFor(t, asset?.type ?? null);
  // The same SLA deadline the box's decision reads.
  const s = box.sla.slaSummary([t]).get(t.id);
  const c = s ? (s.response.stopped ? s.resolution : s.response) : null;
  const dueTs = c && Number.isFinite(c.dueTs) ? c.dueTs : null;
  return rankCandidates({ id: t.id, category: t.category, priority: t.priority, zoneId: t.zoneId, createdTs: t.createdTs, assetType: asset?.type ?? null, criticality: asset?.criticality, dueTs }, engineers, {
    now, local: localTime(now, registry.site(t.siteId)!.timezone), walk: walkMatrix(zoneIds, siteLinks).minutes,
    weights: box.config.dispatch.weights, load, declined: new Set(), part: part ? { sku: part.sku, holders: dispatch.parts.holders(t.siteId, part.sku, t.id) } : null,
    locationFreshMin: box.config.dispatch.locationFreshMin, minutesPerOpenJob: box.config.dispatch.minutesPerOpenJob,
  });
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Times one side over a chunk of tickets, after a full GC so the other side's garbage is not collected on its clock. */
function timeChunk(fn: (id: string) => { ranked: { engineerId: string }[] }, chunk: string[], ms: number[], cpu: number[], winners: Map<string, string>): void {
  gc();
  for (const id of chunk) {
    const c0 = process.threadCpuUsage();
    const t0 = performance.now();
    const r = fn(id);
    ms.push(performance.now() - t0);
    // CPU time of this thread alone: on a shared machine the wall clock also counts other processes' turns.
    const c = process.threadCpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    winners.set(id, r.ranked[0]?.engineerId ?? '-');
  }
}

// Warm both (JIT, statement cache), then alternate chunks of 50 tickets so machine noise falls on both sides alike.
for (const id of ids.slice(0, 50)) { dispatch.candidates(id); if (!process.env.BENCH_ONLY_OURS) naive(id); }
const ours: number[] = [], peer: number[] = [], oursCpu: number[] = [], peerCpu: number[] = [];
const load0 = loadavg()[0];
const wOurs = new Map<string, string>(), wPeer = new Map<string, string>();
for (let i = 0; i < ids.length; i += 50) {
  const chunk = ids.slice(i, i + 50);
  timeChunk((id) => dispatch.candidates(id), chunk, ours, oursCpu, wOurs);
  if (!process.env.BENCH_ONLY_OURS) timeChunk(naive, chunk, peer, peerCpu, wPeer);
}
let same = 0, candidates = 0, excluded = 0;
const total = ids.length;
for (const id of ids) if (wOurs.get(id) === wPeer.get(id)) same++;
for (const id of ids.slice(0, 100)) { const r = dispatch.candidates(id); candidates += r.ranked.length; excluded += r.excluded.length; }
for (const xs of [ours, peer, oursCpu, peerCpu]) xs.sort((a, b) => a - b);
// The whole decision with its writes (assign + trail + outbox), for the new ones: what a ticket.opened costs.
const fresh = ids.filter((id) => tickets.get(id).status === 'new');
const full: number[] = [];
for (const id of fresh) { const t0 = performance.now(); dispatch.decide(id, 'dispatch'); full.push(performance.now() - t0); }
full.sort((a, b) => a - b);

const row = (label: string, a: number[], b: number[], p: number, target = '') => [label, fmt(percentile(a, p), 2), fmt(percentile(b, p), 2), fmt(percentile(b, p) / percentile(a, p), 1), target];
printTable(`bench/dispatch.ts: ${ENGINEERS} engineers, ${open} open work orders, ${ZONES} zones / ${links.length} walkways, ${ours.length} decisions per side (alternating chunks of 50, GC between); machine load average ${fmt(load0, 1)} -> ${fmt(loadavg()[0], 1)}`,
  ['decision (rank every candidate), ms', 'Outpost: roster cached, all-pairs matrix, one GROUP BY', 'naive: per decision roster re-read, all-pairs recomputed, SQL count per engineer', 'ratio', 'target'], [
    row('wall p50', ours, peer, 50), row('wall p99', ours, peer, 99, '< 10'), row('wall max', ours, peer, 100),
    row('CPU time of the thread, p50', oursCpu, peerCpu, 50), row('CPU time of the thread, p99', oursCpu, peerCpu, 99, '< 10'),
    ['same winner on both sides', `${same} / ${total}`, '', '', ''],
    ['candidates ranked / filtered out per ticket (mean)', `${fmt(candidates / 100, 1)} / ${fmt(excluded / 100, 1)}`, '', '', ''],
    [`full decide + assign (write, trail, outbox), ${full.length} new tickets: wall p50 / p99`, `${fmt(percentile(full, 50), 2)} / ${fmt(percentile(full, 99), 2)}`, '', '', ''],
  ]);
await box.stop();
rmSync(dir, { recursive: true, force: true });
