// Table tests for working-time arithmetic: weekends, holidays, overnight windows, Asia/Shanghai, Europe/Berlin across DST.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addBusinessMinutes, businessMinutesBetween, calendarProblem, defaultHours, localToUtc, parseHhmm, type Calendar } from './business-hours.ts';

const shanghai: Calendar = { kind: 'business', timezone: 'Asia/Shanghai', hours: defaultHours(), holidays: ['2026-01-01'] };
const berlin: Calendar = { kind: 'business', timezone: 'Europe/Berlin', hours: defaultHours(), holidays: [] };
/** A night shift Monday to Friday nights, 22:00 to 06:00 the next morning. */
const nights: Calendar = { kind: 'business', timezone: 'Asia/Shanghai', hours: [1, 2, 3, 4, 5].map((day) => ({ day, open: 22 * 60, close: 6 * 60 })), holidays: [] };
/** Every hour of every local day: the local clock's length of a day, 23 h or 25 h on DST nights. */
const berlinAllDay: Calendar = { kind: 'business', timezone: 'Europe/Berlin', hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: 0, close: 1440 })), holidays: [] };

/** Shanghai is UTC+8 all year. */
const sh = (d: string, hhmm: string) => Date.parse(`${d}T${hhmm}:00+08:00`);
const iso = (ms: number) => new Date(ms).toISOString();

test('adding business minutes, table', () => {
  const rows: { name: string; cal: Calendar; from: number; mins: number; want: number }[] = [
    { name: 'inside one day', cal: shanghai, from: sh('2026-01-05', '10:00'), mins: 90, want: sh('2026-01-05', '11:30') },
    { name: 'Friday afternoon runs over the weekend', cal: shanghai, from: sh('2026-01-02', '16:00'), mins: 120, want: sh('2026-01-05', '10:00') },
    { name: 'from Saturday: starts Monday morning', cal: shanghai, from: sh('2026-01-03', '10:00'), mins: 30, want: sh('2026-01-05', '09:30') },
    { name: 'evening: starts next morning', cal: shanghai, from: sh('2026-01-06', '19:00'), mins: 60, want: sh('2026-01-07', '10:00') },
    { name: 'over a holiday (New Year, Thursday)', cal: shanghai, from: sh('2025-12-31', '16:30'), mins: 60, want: sh('2026-01-02', '09:30') },
    { name: 'exactly to closing time stays that day', cal: shanghai, from: sh('2026-01-05', '16:00'), mins: 60, want: sh('2026-01-05', '17:00') },
    { name: 'zero minutes outside hours: the next opening', cal: shanghai, from: sh('2026-01-05', '07:00'), mins: 0, want: sh('2026-01-05', '09:00') },
    { name: 'overnight window: to the morning, then the next night', cal: nights, from: sh('2026-01-05', '23:00'), mins: 480, want: sh('2026-01-06', '23:00') },
    { name: 'overnight window opened the evening before', cal: nights, from: sh('2026-01-06', '03:00'), mins: 60, want: sh('2026-01-06', '04:00') },
    { name: 'Friday night shift ends Saturday 06:00, next is Monday night', cal: nights, from: sh('2026-01-10', '05:00'), mins: 120, want: sh('2026-01-12', '23:00') },
    // Berlin: CET (UTC+1) before 2026-03-29, CEST (UTC+2) after.
    { name: 'Berlin: Friday CET to Monday CEST', cal: berlin, from: Date.parse('2026-03-27T15:00:00Z'), mins: 120, want: Date.parse('2026-03-30T08:00:00Z') },
    { name: 'Berlin: autumn, Friday CEST to Monday CET', cal: berlin, from: Date.parse('2026-10-23T14:00:00Z'), mins: 120, want: Date.parse('2026-10-26T09:00:00Z') },
    { name: '24x7: plain minutes', cal: { kind: '24x7' }, from: sh('2026-01-03', '10:00'), mins: 15, want: sh('2026-01-03', '10:15') },
  ];
  for (const r of rows) assert.equal(iso(addBusinessMinutes(r.cal, r.from, r.mins)), iso(r.want), r.name);
});

test('business minutes between two instants, table', () => {
  const rows: { name: string; cal: Calendar; a: number; b: number; want: number }[] = [
    { name: 'Friday 16:00 to Monday 10:00', cal: shanghai, a: sh('2026-01-02', '16:00'), b: sh('2026-01-05', '10:00'), want: 120 },
    { name: 'a whole weekend', cal: shanghai, a: sh('2026-01-03', '00:00'), b: sh('2026-01-05', '00:00'), want: 0 },
    { name: 'a week with a holiday', cal: shanghai, a: sh('2025-12-29', '00:00'), b: sh('2026-01-05', '00:00'), want: 4 * 480 },
    { name: 'backwards is nothing', cal: shanghai, a: sh('2026-01-05', '12:00'), b: sh('2026-01-05', '10:00'), want: 0 },
    { name: 'night shift across midnight', cal: nights, a: sh('2026-01-05', '21:00'), b: sh('2026-01-06', '07:00'), want: 480 },
    { name: 'Berlin spring forward: the Sunday has 23 hours', cal: berlinAllDay, a: localToUtc('Europe/Berlin', 2026, 3, 28, 0), b: localToUtc('Europe/Berlin', 2026, 3, 30, 0), want: 47 * 60 },
    { name: 'Berlin fall back: the Sunday has 25 hours', cal: berlinAllDay, a: localToUtc('Europe/Berlin', 2026, 10, 24, 0), b: localToUtc('Europe/Berlin', 2026, 10, 26, 0), want: 49 * 60 },
    { name: 'Berlin business day the week after DST is still 8 h', cal: berlin, a: Date.parse('2026-03-30T00:00:00Z'), b: Date.parse('2026-03-31T00:00:00Z'), want: 480 },
    { name: '24x7', cal: { kind: '24x7' }, a: 0, b: 90 * 60_000, want: 90 },
  ];
  for (const r of rows) assert.equal(businessMinutesBetween(r.cal, r.a, r.b), r.want, r.name);
});

test('local wall time to UTC in DST zones', () => {
  assert.equal(iso(localToUtc('Europe/Berlin', 2026, 1, 15, 9 * 60)), '2026-01-15T08:00:00.000Z');
  assert.equal(iso(localToUtc('Europe/Berlin', 2026, 7, 15, 9 * 60)), '2026-07-15T07:00:00.000Z');
  assert.equal(iso(localToUtc('Asia/Shanghai', 2026, 7, 15, 9 * 60)), '2026-07-15T01:00:00.000Z');
  // 02:30 does not exist on the spring-forward night: it comes out as 03:30 CEST.
  assert.equal(iso(localToUtc('Europe/Berlin', 2026, 3, 29, 150)), '2026-03-29T01:30:00.000Z');
  // 02:30 happens twice on the fall-back night: the first one (still CEST) is taken.
  assert.equal(iso(localToUtc('Europe/Berlin', 2026, 10, 25, 150)), '2026-10-25T00:30:00.000Z');
});

test('a calendar that never opens gives an unreachable deadline, not a hang', () => {
  const cal: Calendar = { kind: 'business', timezone: 'UTC', hours: [{ day: 1, open: 540, close: 600 }], holidays: [] };
  // Every Monday a holiday for over a year.
  const mondays: string[] = [];
  for (let d = Date.UTC(2026, 0, 5); d < Date.UTC(2028, 0, 1); d += 7 * 86_400_000) mondays.push(new Date(d).toISOString().slice(0, 10));
  assert.equal(addBusinessMinutes({ ...cal, holidays: mondays }, Date.UTC(2026, 0, 1), 10), Number.POSITIVE_INFINITY);
});

test('calendar validation says what is wrong', () => {
  assert.equal(parseHhmm('08:30'), 510);
  assert.equal(parseHhmm('24:00'), 1440);
  assert.equal(parseHhmm('25:00'), null);
  assert.equal(parseHhmm('8:30'), null);
  assert.equal(calendarProblem(shanghai), null);
  assert.match(calendarProblem({ ...shanghai, timezone: 'Mars/Olympus' }) ?? '', /unknown timezone/);
  assert.match(calendarProblem({ ...shanghai, hours: [] }) ?? '', /at least one/);
  assert.match(calendarProblem({ ...shanghai, holidays: ['2026-13-45'] }) ?? '', /YYYY-MM-DD/);
  assert.match(calendarProblem({ ...shanghai, hours: [{ day: 7, open: 0, close: 60 }] }) ?? '', /day 7/);
});
