// SLA cost on a real box (real SQLite file, manual clock): the tick, the ticket list, a work order's clocks, the
// business-time arithmetic, each beside a peer measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOutpost } from '../appliance/src/outpost.ts';
import { manualClock } from '../appliance/src/core/index.ts';
import { addWorkingMs, defaultHours, type Calendar } from '../appliance/src/domain/index.ts';

const OPEN = Number(process.env.BENCH_OPEN ?? 1000);
const M = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-sla-'));
const clock = manualClock(Date.UTC(2026, 0, 5, 1));
const box = createOutpost({ dataDir: dir, http: { port: 0, host: '127.0.0.1' }, mqtt: { port: 0, host: '127.0.0.1' }, demo: { enabled: false }, log: { level: 'silent' }, auth: { adminPassword: 'bench-admin-pw' } } as never, { env: {}, clock });
box.registry.load();
box.registry.upsertSite({ id: 's', name: 'Bench site', timezone: 'Asia/Shanghai' });
await box.start();
box.roster.upsert({ id: 'e1', siteId: 's', username: null, name: 'E1', phone: null, role: 'engineer', active: true, profile: {} });
const URG = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING'] as const;

/** Opens, assigns, accepts and cancels n work orders; ms per work order. */
function lifecycles(n: number, tag: string): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const tk = box.tickets.openManual({ siteId: 's', category: 'general', urgency: URG[i % 4], title: `${tag}${i}`, actor: 'bench' });
    box.tickets.assign(tk.id, 'e1', 'bench');
    box.tickets.transition(tk.id, 'accepted', 'bench');
    box.tickets.transition(tk.id, 'cancelled', 'bench');
  }
  return (performance.now() - t0) / n;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function timed(n: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

// 1. The cost SLA adds to a work order's life (4 events: opened, assigned, accepted, cancelled).
lifecycles(200, 'w'); // warm-up
box.sla.stop();
const without = lifecycles(OPEN, 'p');
box.sla.start();
const withSla = lifecycles(OPEN, 'q');

// OPEN open work orders, assigned, half a business day apart in age.
const ids: string[] = [];
for (let i = 0; i < OPEN; i++) {
  const tk = box.tickets.openManual({ siteId: 's', category: 'general', urgency: URG[i % 4], title: `o${i}`, actor: 'bench' });
  box.tickets.assign(tk.id, 'e1', 'bench');
  ids.push(tk.id);
  clock.advance(M);
}
// 2. The tick once a second for 200 s (a few acknowledgement deadlines fall due) beside a naive tick that recomputes every open work order.
const idle = timed(200, () => {
  clock.advance(1000);
  box.sla.tick();
});
const naive = timed(5, () => {
  for (const id of ids) box.sla.slaOf(id);
});
// 3. The open list with its clocks beside the list alone.
const listPlain = timed(20, () => box.tickets.list({ open: true, limit: OPEN }));
const listSla = timed(20, () => box.sla.slaSummary(box.tickets.list({ open: true, limit: OPEN })));
// 4. One work order's clocks from its trail (the detail page, dispatch) beside reading that trail.
const one = timed(OPEN, (i) => box.sla.slaOf(ids[i]));
const trail = timed(OPEN, (i) => box.tickets.trail(ids[i]));
// 5. A week later: everything breached and climbed; the tick that records it all.
clock.advance(7 * 24 * 60 * M);
const catchUp = timed(1, () => box.sla.tick())[0];
const steps = (box.db.prepare("SELECT count(*) AS n FROM ticket_events WHERE kind IN ('escalated', 'sla_warning', 'sla_breached')").get() as { n: number }).n;
// 6. "5 business days from t" on the Shanghai calendar beside the same on 24x7.
const cal: Calendar = { kind: 'business', timezone: 'Asia/Shanghai', hours: defaultHours(), holidays: ['2026-02-17', '2026-02-18'] };
const starts = Array.from({ length: 20_000 }, (_, i) => Date.UTC(2026, 0, 1) + i * 37 * M);
const addBiz = timed(1, () => { for (const t of starts) addWorkingMs(cal, t, 2400 * M); })[0] / starts.length;
const add247 = timed(1, () => { for (const t of starts) addWorkingMs({ kind: '24x7' }, t, 2400 * M); })[0] / starts.length;

await box.stop();
rmSync(dir, { recursive: true, force: true });

const f = (ms: number) => (ms >= 10 ? ms.toFixed(0) : ms >= 0.1 ? ms.toFixed(2) : ms.toFixed(4));
const rows: [string, string, string, string][] = [
  ['work order life, 4 events (ms each; peer: SLA off)', f(withSla), f(without), (withSla / without).toFixed(2)],
  [`tick each s, ${OPEN} open, a few due (p50 ms; peer: recompute all)`, f(pct(idle, 50)), f(pct(naive, 50)), (pct(idle, 50) / pct(naive, 50)).toFixed(5)],
  [`tick each s, ${OPEN} open, a few due (p99 ms; peer: recompute all)`, f(pct(idle, 99)), f(pct(naive, 50)), (pct(idle, 99) / pct(naive, 50)).toFixed(5)],
  [`open list of ${OPEN} with clocks (p50 ms; peer: list alone)`, f(pct(listSla, 50)), f(pct(listPlain, 50)), (pct(listSla, 50) / pct(listPlain, 50)).toFixed(2)],
  ['one work order\'s clocks (p50 ms; peer: its trail read)', f(pct(one, 50)), f(pct(trail, 50)), (pct(one, 50) / pct(trail, 50)).toFixed(2)],
  ['one work order\'s clocks (p99 ms; peer: its trail read)', f(pct(one, 99)), f(pct(trail, 99)), (pct(one, 99) / pct(trail, 99)).toFixed(2)],
  [`catch-up tick after a week off (ms; ${steps} trail lines)`, f(catchUp), '', ''],
  ['+5 business days, Shanghai (µs; peer: 24x7)', (addBiz * 1000).toFixed(2), (add247 * 1000).toFixed(3), (addBiz / add247).toFixed(0)],
];
const w = [66, 10, 10, 8];
const line = (c: string[]) => `| ${c.map((x, i) => (i ? x.padStart(w[i]) : x.padEnd(w[i]))).join(' | ')} |`;
console.log(`\n${OPEN} open work orders, node ${process.version}, ${new Date().toISOString()}\n`);
console.log(line(['', 'Outpost', 'peer', 'ratio']));
console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
