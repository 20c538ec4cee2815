// Dispatch scoring: every candidate for a work order ranked, each factor's share kept so the ticket can say why.
import type { Engineer, Severity, Trade } from './types.ts';
import { homeZone, onCall, onShift, readProfile, skillLevel, validCertificates, type LocalTime } from './dispatch-profile.ts';

export const FACTORS = ['skill', 'travel', 'load', 'sla', 'criticality', 'parts'] as const;
export type Factor = (typeof FACTORS)[number];
export type Weights = Record<Factor, number>;

export const DEFAULT_WEIGHTS: Weights = { skill: 3, travel: 2, load: 2, sla: 2, criticality: 1, parts: 2 };

/**
 * Certificates some work needs (an expired one does not count). Trade-wide ones, plus high-voltage gear
 * whatever the trade: nobody opens a switchgear panel without the HV authorisation.
 */
export const CERTIFICATE_RULES: { trade?: Trade; assetTypes?: string[]; certificate: string }[] = [
  { trade: 'electrical', certificate: 'electrical-licence' },
  { assetTypes: ['transformer', 'switchgear', 'hv_panel', 'substation'], certificate: 'electrical-hv' },
  { trade: 'hvac', certificate: 'refrigerant-handling' },
];

export function requiredCertificates(trade: Trade, assetType: string | null | undefined): string[] {
  return CERTIFICATE_RULES.filter((r) => (r.trade === undefined || r.trade === trade) && (r.assetTypes === undefined || (!!assetType && r.assetTypes.includes(assetType))))
    .map((r) => r.certificate);
}

/** Skill level a priority asks for: critical work wants a senior (3), major a qualified hand (2), the rest anyone (1). */
export function requiredLevel(priority: Severity): number {
  return priority === 'CRITICAL' ? 3 : priority === 'MAJOR' ? 2 : 1;
}

/** Response target by priority when the SLA module has not said (minutes from opening). */
export const NOMINAL_RESPONSE_MIN: Record<Severity, number> = { CRITICAL: 30, MAJOR: 60, MINOR: 240, WARNING: 480 };

export interface DispatchTicket {
  id: string;
  category: Trade;
  priority: Severity;
  zoneId: string | null;
  createdTs: number;
  assetType?: string | null;
  /** 1..5, default 2. */
  criticality?: number;
  /** The SLA deadline the ticket runs against (response, or resolution once responded), when known. */
  dueTs?: number | null;
}

/** A store holding the part the job needs: a van (travels with its engineer) or a site store in a zone. */
export interface PartHolder { storeId: string; kind: 'van' | 'site'; zoneId: string | null; available: number }

export interface ScoringContext {
  now: number;
  local: LocalTime;
  walk: (from: string, to: string) => number;
  weights: Weights;
  /** Open assigned work orders per engineer id. */
  load: ReadonlyMap<string, number>;
  /** Engineers who declined (or were released from) this ticket before. */
  declined: ReadonlySet<string>;
  /** The part the job needs (sku), and every store holding it; null when the job needs none. */
  part: { sku: string; holders: PartHolder[] } | null;
  /** A check-in older than this no longer says where someone is (minutes). */
  locationFreshMin: number;
  /** Minutes each open job is taken to delay the next arrival (for the SLA factor). */
  minutesPerOpenJob: number;
}

export interface FactorScore { value: number; weight: number; points: number; share: number; detail: string }

export interface Candidate {
  engineerId: string;
  name: string;
  total: number;
  factors: Record<Factor, FactorScore>;
  fromZoneId: string | null;
  travelMin: number | null;
  /** Where the needed part would come from (the reservation follows it). */
  partFrom: { storeId: string; kind: 'van' | 'site'; zoneId: string | null; detourMin: number } | null;
}

export interface Excluded { engineerId: string; name: string; reasons: string[] }
export interface Ranking { ranked: Candidate[]; excluded: Excluded[]; requiredLevel: number; certificates: string[]; timeLeftMin: number; deadline: 'sla' | 'nominal' }

const TRAVEL_SPAN_MIN = 30;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Why someone cannot take this ticket at all (empty: they can). */
export function hardFilters(e: Engineer, t: DispatchTicket, ctx: ScoringContext, certs: string[]): string[] {
  const p = readProfile(e.profile);
  const out: string[] = [];
  if (!e.active) out.push('inactive');
  if (e.role !== 'engineer') out.push(`role:${e.role}`);
  if (!onShift(p.shifts, ctx.local) && !onCall(p, ctx.now)) out.push('off_shift');
  if (skillLevel(p, t.category) === 0) out.push(`no_skill:${t.category}`);
  const have = validCertificates(p, ctx.now);
  for (const c of certs) if (!have.has(c)) out.push(`certificate:${c}`);
  if (t.zoneId && p.zones && p.zones.length > 0 && !p.zones.includes(t.zoneId)) out.push(`zone:${t.zoneId}`);
  if (ctx.declined.has(e.id)) out.push('declined');
  return out;
}

/** Where someone is now: a fresh check-in, else their home zone. */
export function currentZone(e: Engineer, ctx: Pick<ScoringContext, 'now' | 'locationFreshMin'>): string | null {
  if (e.locationZoneId && e.locationTs !== null && ctx.now - e.locationTs <= ctx.locationFreshMin * 60_000) return e.locationZoneId;
  return homeZone(readProfile(e.profile));
}

export function rankCandidates(t: DispatchTicket, engineers: Engineer[], ctx: ScoringContext): Ranking {
  const certs = requiredCertificates(t.category, t.assetType);
  const need = requiredLevel(t.priority);
  const crit = Math.min(5, Math.max(1, t.criticality ?? 2));
  const deadline = t.dueTs ?? null;
  const timeLeftMin = deadline !== null ? (deadline - ctx.now) / 60_000 : NOMINAL_RESPONSE_MIN[t.priority] - (ctx.now - t.createdTs) / 60_000;
  const ranked: Candidate[] = [];
  const excluded: Excluded[] = [];
  for (const e of engineers) {
    const reasons = hardFilters(e, t, ctx, certs);
    if (reasons.length > 0) { excluded.push({ engineerId: e.id, name: e.name, reasons }); continue; }
    ranked.push(score(e, t, ctx, need, crit, timeLeftMin));
  }
  ranked.sort((a, b) => b.total - a.total || (a.travelMin ?? Infinity) - (b.travelMin ?? Infinity)
    || (ctx.load.get(a.engineerId) ?? 0) - (ctx.load.get(b.engineerId) ?? 0) || (a.engineerId < b.engineerId ? -1 : 1));
  return { ranked, excluded, requiredLevel: need, certificates: certs, timeLeftMin: round(timeLeftMin, 1), deadline: deadline !== null ? 'sla' : 'nominal' };
}

function score(e: Engineer, t: DispatchTicket, ctx: ScoringContext, need: number, crit: number, timeLeftMin: number): Candidate {
  const p = readProfile(e.profile);
  const level = skillLevel(p, t.category);
  const from = currentZone(e, ctx);
  const travel = from && t.zoneId ? ctx.walk(from, t.zoneId) : null;
  const load = ctx.load.get(e.id) ?? 0;

  // Skill: at or above the level asked scores full, each level above it a little less (keep seniors free);
  // below it, half credit per missing level's share.
  const skill = level >= need ? 1 - 0.1 * (level - need) : 0.5 * (level / need);
  // Travel: 0 min scores 1, half an hour or more (or no walkway) scores 0; no zone on the ticket is neutral.
  const travelV = travel === null ? 0.5 : travel === Infinity ? 0 : Math.max(0, 1 - travel / TRAVEL_SPAN_MIN);
  const loadV = 1 / (1 + load);
  // SLA: can they get there before the deadline? ETA = walk + the queue of jobs already on them.
  const eta = (travel === null || travel === Infinity ? TRAVEL_SPAN_MIN : travel) + load * ctx.minutesPerOpenJob;
  const slaV = timeLeftMin > 0 ? Math.max(0, 1 - eta / timeLeftMin) : 1 / (1 + eta / 10);
  // Criticality: the more critical the asset, the more the engineer's own level counts (crit 1: anyone; crit 5: level/3).
  const critV = 1 - ((crit - 1) / 4) * (1 - level / 3);

  let partsV = 1;
  let partsDetail = 'no part needed';
  let partFrom: Candidate['partFrom'] = null;
  if (ctx.part) {
    const sku = ctx.part.sku;
    const van = ctx.part.holders.find((h) => h.kind === 'van' && h.storeId === p.vanStoreId && h.available > 0);
    if (van) {
      partsV = 1; partsDetail = `${sku} in own van`;
      partFrom = { storeId: van.storeId, kind: 'van', zoneId: null, detourMin: 0 };
    } else {
      // The nearest site store: the detour is the walk via the store against the walk straight to the job.
      let best: { h: PartHolder; detour: number } | null = null;
      for (const h of ctx.part.holders) {
        if (h.kind !== 'site' || h.available <= 0) continue;
        const via = from && h.zoneId ? ctx.walk(from, h.zoneId) + (t.zoneId ? ctx.walk(h.zoneId, t.zoneId) : 0) : TRAVEL_SPAN_MIN;
        const detour = Math.max(0, via - (travel ?? 0));
        if (!best || detour < best.detour) best = { h, detour };
      }
      if (best && best.detour < Infinity) {
        partsV = Math.max(0.1, 1 - best.detour / TRAVEL_SPAN_MIN);
        partsDetail = `${sku} at store ${best.h.storeId}, +${round(best.detour, 1)} min`;
        partFrom = { storeId: best.h.storeId, kind: 'site', zoneId: best.h.zoneId, detourMin: round(best.detour, 1) };
      } else {
        partsV = 0; partsDetail = `${sku} out of stock`;
      }
    }
  }

  const values: Record<Factor, [number, string]> = {
    skill: [skill, `${t.category} level ${level} (needs ${need})`],
    travel: [travelV, travel === null ? 'location unknown' : travel === Infinity ? `no walkway from ${from}` : `${round(travel, 1)} min from ${from}`],
    load: [loadV, `${load} open job${load === 1 ? '' : 's'}`],
    sla: [slaV, `ETA ${round(eta, 1)} min, ${round(timeLeftMin, 1)} min left`],
    criticality: [critV, `asset criticality ${crit}, level ${level}`],
    parts: [partsV, partsDetail],
  };
  let total = 0;
  for (const f of FACTORS) total += ctx.weights[f] * values[f][0];
  const factors = {} as Record<Factor, FactorScore>;
  for (const f of FACTORS) {
    const points = ctx.weights[f] * values[f][0];
    factors[f] = { value: round(values[f][0]), weight: ctx.weights[f], points: round(points), share: total > 0 ? round(points / total) : 0, detail: values[f][1] };
  }
  return { engineerId: e.id, name: e.name, total: round(total), factors, fromZoneId: from, travelMin: travel === null || travel === Infinity ? null : round(travel, 1), partFrom };
}
