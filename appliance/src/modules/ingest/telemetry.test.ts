// Table tests for telemetry decoding: what is kept, what is rejected and with which code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTelemetry, parseTs } from './telemetry.ts';

const points = new Map([
  ['temp', { id: 1, def: { key: 'temp', name: 'Temperature', min: -50, max: 200 } }],
  ['current', { id: 2, def: { key: 'current', name: 'Current' } }],
]);
const now = Date.UTC(2026, 10, 25, 12);
const limits = { now, maxFutureSkewMs: 300_000, oldestTs: now - 7 * 86_400_000 };
const codes = (p: string) => decodeTelemetry(p, points, limits).rejects.map((r) => r.code);

test('a good message yields one reading per point', () => {
  const d = decodeTelemetry(JSON.stringify({ ts: now - 1000, values: { temp: 21.5, current: 3 } }), points, limits);
  assert.deepEqual(d.readings, [{ pointId: 1, point: 'temp', ts: now - 1000, value: 21.5 }, { pointId: 2, point: 'current', ts: now - 1000, value: 3 }]);
  assert.deepEqual(d.rejects, []);
});

test('timestamps: ms, seconds, ISO, absent', () => {
  assert.equal(parseTs(now, now), now);
  assert.equal(parseTs(now / 1000, now), now);
  assert.equal(parseTs('2026-11-25T12:00:00Z', 0), now);
  assert.equal(parseTs(undefined, 42), 42);
  assert.equal(parseTs('yesterday', now), null);
  assert.equal(parseTs(-5, now), null);
});

test('bad messages are rejected whole with a code', () => {
  assert.deepEqual(codes('{not json'), ['OUTPOST_PAYLOAD_JSON']);
  assert.deepEqual(codes('[1,2]'), ['OUTPOST_PAYLOAD_SHAPE']);
  assert.deepEqual(codes('{"ts": 1}'), ['OUTPOST_PAYLOAD_SHAPE']);
  assert.deepEqual(codes(JSON.stringify({ ts: 'soon', values: { temp: 1 } })), ['OUTPOST_TS_INVALID']);
  assert.deepEqual(codes(JSON.stringify({ ts: now + 3_600_000, values: { temp: 1 } })), ['OUTPOST_TS_FUTURE']);
  assert.deepEqual(codes(JSON.stringify({ ts: now - 30 * 86_400_000, values: { temp: 1 } })), ['OUTPOST_TS_TOO_OLD']);
});

test('bad values are rejected one by one, good ones kept', () => {
  const d = decodeTelemetry(JSON.stringify({ values: { temp: 'hot', current: 4, humidity: 50, x: null } }), points, limits);
  assert.deepEqual(d.readings.map((r) => r.point), ['current']);
  assert.deepEqual(d.rejects.map((r) => r.code), ['OUTPOST_VALUE_NOT_NUMBER', 'OUTPOST_POINT_UNKNOWN', 'OUTPOST_POINT_UNKNOWN']);
  assert.deepEqual(codes(JSON.stringify({ values: { temp: 900 } })), ['OUTPOST_VALUE_OUT_OF_RANGE']);
});

test('events: a fault code with optional text; anything else is a coded reject', async () => {
  const { decodeEvent } = await import('./telemetry.ts');
  assert.deepEqual(decodeEvent(JSON.stringify({ ts: now, code: 'E07', text: 'overcurrent' }), limits), { event: { ts: now, code: 'E07', text: 'overcurrent' } });
  assert.deepEqual(decodeEvent('{"code":"F:12"}', limits), { event: { ts: now, code: 'F:12', text: null } });
  const code = (p: string) => { const d = decodeEvent(p, limits); return 'reject' in d ? d.reject.code : 'ok'; };
  assert.equal(code('nope'), 'OUTPOST_PAYLOAD_JSON');
  assert.equal(code('{"code": 7}'), 'OUTPOST_PAYLOAD_SHAPE');
  assert.equal(code('{"code": "has space"}'), 'OUTPOST_PAYLOAD_SHAPE');
  assert.equal(code(JSON.stringify({ code: 'E1', ts: now + 3_600_000 })), 'OUTPOST_TS_FUTURE');
});
