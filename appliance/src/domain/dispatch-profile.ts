// The roster profile dispatch reads (skills, certificates, zones, shifts, on-call, van) and when someone is working.
import Type from 'typebox';
import Value from 'typebox/value';
import Compile from 'typebox/compile';
import { TRADES, type Trade } from './types.ts';

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** Engineer.profile as dispatch defines it: PUT /api/v1/engineers/:id validates against this. */
export const EngineerProfileSchema = Type.Object({
  skills: Type.Optional(Type.Array(Type.Object({
    trade: Type.Union(TRADES.map((t) => Type.Literal(t))),
    level: Type.Integer({ minimum: 1, maximum: 3 }),
  }, { additionalProperties: false }), { maxItems: 20 })),
  certificates: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 64 }),
    expiresTs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  }, { additionalProperties: false }), { maxItems: 50 })),
  /** Zones they cover; empty or absent: the whole site. */
  zones: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 })),
  /** Where they start from when no check-in is fresh; defaults to the first covered zone. */
  homeZoneId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** Weekly shifts in the site's timezone. days: 1 = Monday .. 7 = Sunday; to <= from runs past midnight. */
  shifts: Type.Optional(Type.Array(Type.Object({
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
    from: HHMM, to: HHMM,
  }, { additionalProperties: false }), { maxItems: 21 })),
  /** On-call rota entries: reachable outside shifts between these instants (ms). */
  onCall: Type.Optional(Type.Array(Type.Object({
    fromTs: Type.Integer({ minimum: 0 }), toTs: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }), { maxItems: 200 })),
  /** The store (kind 'van') that travels with them. */
  vanStoreId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, { additionalProperties: true });

export type EngineerProfile = Type.Static<typeof EngineerProfileSchema>;
export interface Shift { days: number[]; from: string; to: string }

/** The first schema error in words, or null when the profile is valid. */
export function profileProblem(profile: unknown): string | null {
  if (Value.Check(EngineerProfileSchema, profile)) return null;
  const first = [...Value.Errors(EngineerProfileSchema, profile)][0];
  return first ? `${first.instancePath || 'profile'} ${first.message}` : 'profile is invalid';
}

// Compiled once: the dynamic check took ~320 us per profile, the compiled one ~4 us (bench/dispatch.ts reads 200 per decision).
const profileCheck = Compile(EngineerProfileSchema);
const readCache = new WeakMap<object, EngineerProfile>();

/**
 * Reads a stored profile leniently (an invalid one counts as empty rather than crashing a decision); each profile
 * object is checked once however often a decision looks at it.
 */
export function readProfile(raw: Record<string, unknown>): EngineerProfile {
  let p = readCache.get(raw);
  if (!p) {
    p = profileCheck.Check(raw) ? (raw as EngineerProfile) : {};
    readCache.set(raw, p);
  }
  return p;
}

/** Local weekday (1 = Monday) and minute of the day at `ts` in a timezone: computed once per decision. */
export interface LocalTime { weekday: number; minute: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localTime(ts: number, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(ts));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  return { weekday: WEEKDAYS[get('weekday')] ?? 1, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a weekly shift covers this local time; an overnight shift belongs to the day it starts on. */
export function onShift(shifts: Shift[] | undefined, at: LocalTime): boolean {
  for (const s of shifts ?? []) {
    const from = toMin(s.from);
    const to = toMin(s.to);
    if (to > from) {
      if (s.days.includes(at.weekday) && at.minute >= from && at.minute < to) return true;
    } else {
      const yesterday = at.weekday === 1 ? 7 : at.weekday - 1;
      if (s.days.includes(at.weekday) && at.minute >= from) return true;
      if (s.days.includes(yesterday) && at.minute < to) return true;
    }
  }
  return false;
}

export function onCall(profile: EngineerProfile, ts: number): boolean {
  return (profile.onCall ?? []).some((r) => ts >= r.fromTs && ts < r.toTs);
}

export function skillLevel(profile: EngineerProfile, trade: Trade): number {
  const own = (profile.skills ?? []).filter((s) => s.trade === trade).reduce((m, s) => Math.max(m, s.level), 0);
  // General work (a blocked drain, a loose panel) is anyone's at level 1 when nobody named it as a skill.
  return trade === 'general' ? Math.max(own, (profile.skills ?? []).length > 0 ? 1 : 0) : own;
}

export function validCertificates(profile: EngineerProfile, ts: number): Set<string> {
  return new Set((profile.certificates ?? []).filter((c) => c.expiresTs === null || c.expiresTs > ts).map((c) => c.name));
}

export function homeZone(profile: EngineerProfile): string | null {
  return profile.homeZoneId ?? profile.zones?.[0] ?? null;
}
