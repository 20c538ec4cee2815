// A site's working calendar (weekly hours in its IANA timezone, holidays, or 24x7) and time arithmetic on it.

const MIN = 60_000;
const DAY_MS = 86_400_000;
/** A calendar with no working time at all would loop for ever: give up after this many empty days. */
const MAX_EMPTY_DAYS = 400;

/** One weekly opening: `day` 0 = Sunday .. 6 = Saturday; open/close in minutes of the local day. close <= open runs past midnight. */
export interface BusinessWindow { day: number; open: number; close: number }

export type Calendar =
  | { kind: '24x7' }
  | {
      kind: 'business';
      timezone: string;
      hours: BusinessWindow[];
      /** Local dates (YYYY-MM-DD) on which no window opens. */
      holidays: string[];
    };

export const ALWAYS: Calendar = { kind: '24x7' };

/** Monday to Friday, 09:00-17:00: an 8-hour business day, the default for a site that set none. */
export function defaultHours(): BusinessWindow[] {
  return [1, 2, 3, 4, 5].map((day) => ({ day, open: 9 * 60, close: 17 * 60 }));
}

/** "08:30" -> 510; "24:00" is the end of the day. null when malformed. */
export function parseHhmm(s: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s);
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v <= 1440 ? v : null;
}

export function formatHhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

const zones = new Map<string, boolean>();

export function isTimeZone(tz: string): boolean {
  let ok = zones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (zones.size < 1000) zones.set(tz, ok);
  }
  return ok;
}

/** Why a calendar cannot be used, or null when it can. */
export function calendarProblem(cal: Calendar): string | null {
  if (cal.kind === '24x7') return null;
  if (!isTimeZone(cal.timezone)) return `unknown timezone "${cal.timezone}"`;
  if (cal.hours.length === 0) return 'a business calendar needs at least one opening window';
  for (const w of cal.hours) {
    if (!Number.isInteger(w.day) || w.day < 0 || w.day > 6) return `day ${w.day} must be 0 (Sunday) .. 6 (Saturday)`;
    if (!(w.open >= 0 && w.open < 1440 && w.close >= 0 && w.close <= 1440)) return `window ${formatHhmm(w.open)}-${formatHhmm(w.close)} is outside the day`;
    if (w.open === w.close) return `window ${formatHhmm(w.open)}-${formatHhmm(w.close)} is empty`;
  }
  for (const d of cal.holidays) if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) return `holiday "${d}" is not a YYYY-MM-DD date`;
  return null;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(tz: string, ms: number): { y: number; m: number; d: number; hh: number; mm: number; ss: number } {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(ms)) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return { y: p.year, m: p.month, d: p.day, hh: p.hour, mm: p.minute, ss: p.second };
}

/** The zone's offset from UTC at instant ms. */
function offsetAt(tz: string, ms: number): number {
  const p = localParts(tz, ms);
  return Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm, p.ss) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall time happens. In a DST gap (02:30 on a spring-forward night) it lands an hour later;
 * in the repeated hour of the autumn it is the first of the two.
 */
export function localToUtc(tz: string, y: number, m: number, d: number, minuteOfDay: number): number {
  const wall = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  // Intl is slow (microseconds a call) and clocks ask for the same few wall times again and again.
  const key = `${tz}|${wall}`;
  const hit = wallCache.get(key);
  if (hit !== undefined) return hit;
  const at = wallToUtc(tz, wall);
  if (wallCache.size >= 200_000) wallCache.clear();
  wallCache.set(key, at);
  return at;
}

const wallCache = new Map<string, number>();

function wallToUtc(tz: string, wall: number): number {
  // The offsets a day either side cover the one transition a day can hold.
  const before = wall - offsetAt(tz, wall - DAY_MS);
  const after = wall - offsetAt(tz, wall + DAY_MS);
  const valid = [before, after].filter((c) => wall - c === offsetAt(tz, c));
  return valid.length ? Math.min(...valid) : before;
}

function isoDate(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

/**
 * The working intervals [start, end) in UTC ms after `from` (the first one clipped to it), in order, without overlaps,
 * for ever (the caller stops). Windows of a holiday date do not open; an overnight window belongs to the day it opens on.
 */
export function* workingIntervals(cal: Extract<Calendar, { kind: 'business' }>, from: number): Generator<[number, number]> {
  const holidays = new Set(cal.holidays);
  const byDay: BusinessWindow[][] = [[], [], [], [], [], [], []];
  for (const w of cal.hours) byDay[w.day].push(w);
  // Two UTC days early covers any zone's local date of `from` and last night's overnight window (windows ending
  // before `from` are dropped below), without asking Intl for the local date.
  let day = Math.floor(from / DAY_MS) * DAY_MS - 2 * DAY_MS;
  // Overlapping windows are clipped, not merged, so 24-hour days still come out one day at a time.
  let lastEnd = from;
  let empty = 0;
  for (;;) {
    const date = new Date(day);
    const y = date.getUTCFullYear(), m = date.getUTCMonth() + 1, d = date.getUTCDate();
    const todays: [number, number][] = [];
    if (!holidays.has(isoDate(day))) {
      for (const w of byDay[date.getUTCDay()]) {
        const start = localToUtc(cal.timezone, y, m, d, w.open);
        const end = w.close > w.open ? localToUtc(cal.timezone, y, m, d, w.close) : localToUtc(cal.timezone, y, m, d + 1, w.close);
        todays.push([start, end]);
      }
    }
    todays.sort((a, b) => a[0] - b[0]);
    let any = false;
    for (const [s0, e] of todays) {
      const s = Math.max(s0, lastEnd);
      if (e > s) {
        any = true;
        yield [s, e];
        lastEnd = e;
      }
    }
    empty = any ? 0 : empty + 1;
    if (empty > MAX_EMPTY_DAYS) return;
    day += DAY_MS;
  }
}

/** The instant `ms` of working time after t (t itself when ms <= 0 and t is in working time). Infinity when the calendar never opens. */
export function addWorkingMs(cal: Calendar, t: number, ms: number): number {
  if (cal.kind === '24x7') return t + Math.max(0, ms);
  let left = Math.max(0, ms);
  for (const [s, e] of workingIntervals(cal, t)) {
    if (e - s >= left) return s + left;
    left -= e - s;
  }
  return Number.POSITIVE_INFINITY;
}

/** Working time between a and b (0 when b <= a). */
export function workingMsBetween(cal: Calendar, a: number, b: number): number {
  if (b <= a) return 0;
  if (cal.kind === '24x7') return b - a;
  let sum = 0;
  for (const [s, e] of workingIntervals(cal, a)) {
    if (s >= b) break;
    sum += Math.min(e, b) - Math.max(s, a);
  }
  return sum;
}

/** "Add N business minutes to t". */
export function addBusinessMinutes(cal: Calendar, t: number, minutes: number): number {
  return addWorkingMs(cal, t, minutes * MIN);
}

/** "Business minutes between a and b". */
export function businessMinutesBetween(cal: Calendar, a: number, b: number): number {
  return workingMsBetween(cal, a, b) / MIN;
}
