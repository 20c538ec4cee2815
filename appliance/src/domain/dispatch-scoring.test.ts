// Table tests for dispatch scoring: who is filtered out and why, who ranks first and which factor made it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankCandidates, DEFAULT_WEIGHTS, requiredCertificates, type DispatchTicket, type ScoringContext } from './dispatch-scoring.ts';
import { localTime, onShift, profileProblem } from './dispatch-profile.ts';
import { walkMatrix } from './site-graph.ts';
import type { Engineer } from './types.ts';

// Wednesday 2026-01-07 10:00 UTC
const NOW = Date.UTC(2026, 0, 7, 10, 0);
const DAY = { days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' };
const map = walkMatrix(['pump', 'yard', 'office', 'store'], [
  { a: 'pump', b: 'yard', minutes: 3 }, { a: 'yard', b: 'office', minutes: 12 }, { a: 'yard', b: 'store', minutes: 2 },
]);

function eng(id: string, profile: Record<string, unknown>, extra: Partial<Engineer> = {}): Engineer {
  return { id, siteId: 's', username: null, name: id, phone: null, role: 'engineer', active: true, profile: { shifts: [DAY], ...profile }, locationZoneId: null, locationTs: null, ...extra };
}

function ctx(over: Partial<ScoringContext> = {}): ScoringContext {
  return {
    now: NOW, local: localTime(NOW, 'UTC'), walk: map.minutes, weights: DEFAULT_WEIGHTS, load: new Map(), declined: new Set(),
    part: null, locationFreshMin: 240, minutesPerOpenJob: 15, ...over,
  };
}

const ticket = (over: Partial<DispatchTicket> = {}): DispatchTicket => ({ id: 'WO1', category: 'mechanical', priority: 'MAJOR', zoneId: 'pump', createdTs: NOW, criticality: 3, ...over });
const mech = (level: number, zone: string, more: Record<string, unknown> = {}) => ({ skills: [{ trade: 'mechanical', level }], zones: [zone], ...more });

test('hard filters: each reason named, nobody filtered for a reason that does not apply', () => {
  const yesterday = NOW - 86_400_000;
  const table: [string, Engineer, DispatchTicket, string[]][] = [
    ['fit and on shift', eng('a', mech(2, 'pump')), ticket(), []],
    ['inactive', eng('b', mech(2, 'pump'), { active: false }), ticket(), ['inactive']],
    ['supervisor is the ladder, not dispatch', eng('c', mech(2, 'pump'), { role: 'supervisor' }), ticket(), ['role:supervisor']],
    ['off shift (night only)', eng('d', mech(2, 'pump', { shifts: [{ days: [1, 2, 3, 4, 5], from: '20:00', to: '06:00' }] })), ticket(), ['off_shift']],
    ['off shift but on call', eng('e', mech(2, 'pump', { shifts: [], onCall: [{ fromTs: NOW - 1000, toTs: NOW + 1000 }] })), ticket(), []],
    ['no rota at all', eng('f', mech(2, 'pump', { shifts: undefined })), ticket(), ['off_shift']],
    ['wrong trade', eng('g', { skills: [{ trade: 'plumbing', level: 3 }] }), ticket(), ['no_skill:mechanical']],
    ['electrical needs the licence', eng('h', { skills: [{ trade: 'electrical', level: 3 }] }), ticket({ category: 'electrical' }), ['certificate:electrical-licence']],
    ['expired licence does not count', eng('i', { skills: [{ trade: 'electrical', level: 3 }], certificates: [{ name: 'electrical-licence', expiresTs: yesterday }] }), ticket({ category: 'electrical' }), ['certificate:electrical-licence']],
    ['HV gear needs HV too', eng('j', { skills: [{ trade: 'electrical', level: 3 }], certificates: [{ name: 'electrical-licence', expiresTs: null }] }), ticket({ category: 'electrical', assetType: 'switchgear' }), ['certificate:electrical-hv']],
    ['zone not covered', eng('k', mech(3, 'office')), ticket(), ['zone:pump']],
    ['declined before', eng('l', mech(2, 'pump')), ticket(), ['declined']],
  ];
  for (const [why, e, t, reasons] of table) {
    const r = rankCandidates(t, [e], ctx({ declined: new Set(['l']) }));
    assert.deepEqual(r.excluded[0]?.reasons ?? [], reasons, why);
    assert.equal(r.ranked.length, reasons.length === 0 ? 1 : 0, why);
  }
});

test('ranking: the explained winner per situation', () => {
  const near = eng('near', mech(2, 'pump'));
  const far = eng('far', mech(2, 'office', { zones: ['office', 'pump'] }));
  const senior = eng('senior', mech(3, 'yard', { zones: ['yard', 'pump'] }));
  const table: [string, Engineer[], Partial<ScoringContext>, DispatchTicket, string, string][] = [
    // Same skill, one is 12+3 minutes away: travel decides.
    ['closer wins', [far, near], {}, ticket(), 'near', 'travel'],
    // The near one already has three jobs: load and the SLA (ETA with the queue) tip it to the far one.
    ['busy one loses', [far, near], { load: new Map([['near', 3]]) }, ticket(), 'far', 'load'],
    // Critical work on a critical asset needs level 3: the senior one 3 minutes away beats the level-2 one on the spot.
    ['critical wants senior', [near, senior], {}, ticket({ priority: 'CRITICAL', criticality: 5 }), 'senior', 'skill'],
    // Minor work asks level 1: the level-2 one on the spot beats the senior three minutes away.
    ['minor work stays local', [near, senior], {}, ticket({ priority: 'MINOR' }), 'near', 'travel'],
  ];
  for (const [why, list, over, t, winner, factor] of table) {
    const r = rankCandidates(t, list, ctx(over));
    assert.equal(r.ranked[0].engineerId, winner, `${why}: ${JSON.stringify(r.ranked.map((c) => [c.engineerId, c.total]))}`);
    const [a, b] = r.ranked;
    // The factor named is one where the winner out-scored the runner-up.
    assert.ok(a.factors[factor as 'skill'].points > b.factors[factor as 'skill'].points, `${why}: ${factor}`);
    // Shares add up to the whole.
    const sum = Object.values(a.factors).reduce((s, f) => s + f.share, 0);
    assert.ok(Math.abs(sum - 1) < 0.01, `${why}: shares sum ${sum}`);
  }
  // A stale check-in is ignored; a fresh one is used.
  const moved = eng('near', mech(2, 'pump', { zones: ['pump', 'office'] }), { locationZoneId: 'office', locationTs: NOW - 60_000 });
  const r = rankCandidates(ticket(), [moved], ctx());
  assert.equal(r.ranked[0].fromZoneId, 'office');
  assert.equal(r.ranked[0].travelMin, 15);
  const stale = rankCandidates(ticket(), [{ ...moved, locationTs: NOW - 5 * 3_600_000 }], ctx());
  assert.equal(stale.ranked[0].fromZoneId, 'pump');
});

test('parts: own van beats a detour to the store, and the store beats nothing', () => {
  const withVan = eng('van', mech(2, 'office', { zones: ['office', 'pump'], vanStoreId: 'van-1' }));
  const noVan = eng('novan', mech(2, 'office', { zones: ['office', 'pump'] }));
  const part = { sku: 'BRG-6205', holders: [{ storeId: 'van-1', kind: 'van' as const, zoneId: null, available: 1 }, { storeId: 'main', kind: 'site' as const, zoneId: 'store', available: 5 }] };
  const r = rankCandidates(ticket(), [noVan, withVan], ctx({ part }));
  assert.equal(r.ranked[0].engineerId, 'van');
  assert.deepEqual(r.ranked[0].partFrom, { storeId: 'van-1', kind: 'van', zoneId: null, detourMin: 0 });
  // office -> store is 14, store -> pump 5: 19 against the straight 15, a 4-minute detour.
  assert.equal(r.ranked[1].partFrom?.storeId, 'main');
  assert.equal(r.ranked[1].partFrom?.detourMin, 4);
  assert.match(r.ranked[1].factors.parts.detail, /\+4 min/);
  const none = rankCandidates(ticket(), [noVan], ctx({ part: { sku: 'BRG-6205', holders: [] } }));
  assert.equal(none.ranked[0].factors.parts.value, 0);
  assert.equal(none.ranked[0].partFrom, null);
});

test('SLA urgency: a known deadline changes who is fast enough; without one the priority sets a nominal one', () => {
  const near = eng('near', mech(2, 'pump'), {});
  const far = eng('far', mech(2, 'office', { zones: ['office', 'pump'] }));
  const tight = rankCandidates(ticket({ dueTs: NOW + 16 * 60_000 }), [near, far], ctx());
  assert.equal(tight.deadline, 'sla');
  assert.ok(tight.ranked.find((c) => c.engineerId === 'far')!.factors.sla.value < 0.1, 'far arrives at 15 of 16 minutes');
  const loose = rankCandidates(ticket({ priority: 'WARNING' }), [near, far], ctx());
  assert.equal(loose.deadline, 'nominal');
  assert.equal(loose.timeLeftMin, 480);
  assert.ok(loose.ranked.find((c) => c.engineerId === 'far')!.factors.sla.value > 0.9);
});

test('shifts in the site timezone, overnight ones included; profiles validated', () => {
  // 10:00 UTC is 18:00 in Shanghai: the 08:00-17:00 shift there is over.
  assert.equal(onShift([DAY], localTime(NOW, 'Asia/Shanghai')), false);
  assert.equal(onShift([DAY], localTime(NOW, 'UTC')), true);
  // Friday 22:00 -> 06:00: Saturday 03:00 is still Friday's shift.
  const night = [{ days: [5], from: '22:00', to: '06:00' }];
  assert.equal(onShift(night, { weekday: 6, minute: 180 }), true);
  assert.equal(onShift(night, { weekday: 5, minute: 180 }), false);
  assert.equal(onShift(night, { weekday: 5, minute: 23 * 60 }), true);
  assert.equal(profileProblem({ skills: [{ trade: 'mechanical', level: 2 }], shifts: [DAY] }), null);
  assert.match(profileProblem({ skills: [{ trade: 'mechanical', level: 4 }] }) ?? '', /skills\/0\/level/);
  assert.match(profileProblem({ shifts: [{ days: [1], from: '25:00', to: '06:00' }] }) ?? '', /from/);
  assert.deepEqual(requiredCertificates('hvac', 'chiller'), ['refrigerant-handling']);
});
