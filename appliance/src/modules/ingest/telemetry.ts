// Pure telemetry decoding: a device's JSON payload -> accepted readings and coded rejects.
import type { PointDef } from '../../domain/index.ts';
import type { ErrorCode } from '../../core/index.ts';

export interface DecodedReading { pointId: number; point: string; ts: number; value: number }
/** Whether the message carried its own ts (else the box stamped it). */
export interface Decoded { readings: DecodedReading[]; rejects: Reject[]; stamped?: boolean }
export interface Reject { code: ErrorCode; message: string }

export interface DecodeLimits {
  now: number;
  maxFutureSkewMs: number;
  /** Oldest timestamp worth storing (raw retention). */
  oldestTs: number;
}

const reject = (code: ErrorCode, message: string): Decoded => ({ readings: [], rejects: [{ code, message }] });

/** ms since epoch, ISO 8601 text, or absent (the box's time). Seconds-since-epoch numbers are taken as seconds. */
export function parseTs(raw: unknown, now: number): number | null {
  if (raw === undefined || raw === null) return now;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) return raw < 1e11 ? Math.round(raw * 1000) : Math.round(raw);
  if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(raw)) {
    const t = Date.parse(raw);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/**
 * `{"ts": <ms or ISO>, "values": {"<point>": number}}` (DESIGN.md topics). Each bad value is rejected
 * on its own; the good values of the same message are kept.
 */
export function decodeTelemetry(payload: Buffer | string, points: ReadonlyMap<string, { id: number; def: PointDef }>, limits: DecodeLimits): Decoded {
  let msg: unknown;
  try {
    msg = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (err) {
    return reject('OUTPOST_PAYLOAD_JSON', `payload is not JSON: ${(err as Error).message}`);
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return reject('OUTPOST_PAYLOAD_SHAPE', 'payload must be an object {"ts", "values"}');
  const { ts: rawTs, values } = msg as { ts?: unknown; values?: unknown };
  if (!values || typeof values !== 'object' || Array.isArray(values)) return reject('OUTPOST_PAYLOAD_SHAPE', '"values" must be an object of point: number');
  const ts = parseTs(rawTs, limits.now);
  if (ts === null) return reject('OUTPOST_TS_INVALID', `"ts" ${JSON.stringify(rawTs)} is neither epoch milliseconds nor ISO 8601`);
  if (ts > limits.now + limits.maxFutureSkewMs) return reject('OUTPOST_TS_FUTURE', `"ts" ${new Date(ts).toISOString()} is ${Math.round((ts - limits.now) / 1000)} s ahead of the box clock`);
  if (ts < limits.oldestTs) return reject('OUTPOST_TS_TOO_OLD', `"ts" ${new Date(ts).toISOString()} is older than raw retention`);

  const out: Decoded = { readings: [], rejects: [], stamped: rawTs === undefined || rawTs === null };
  for (const [key, value] of Object.entries(values)) {
    const r = checkValue(points, key, value, ts);
    if ('code' in r) out.rejects.push(r); else out.readings.push(r);
  }
  return out;
}

/** One value of one point: known to the profile, a finite number, inside its physical range (MQTT and Modbus alike). */
export function checkValue(points: ReadonlyMap<string, { id: number; def: PointDef }>, key: string, value: unknown, ts: number): DecodedReading | Reject {
  const point = points.get(key);
  if (!point) return { code: 'OUTPOST_POINT_UNKNOWN', message: `point "${key}" is not in the device profile` };
  if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'OUTPOST_VALUE_NOT_NUMBER', message: `point "${key}" value ${JSON.stringify(value)} is not a finite number` };
  const { min, max } = point.def;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { code: 'OUTPOST_VALUE_OUT_OF_RANGE', message: `point "${key}" value ${value} is outside its physical range [${min ?? '-inf'}, ${max ?? 'inf'}]` };
  }
  return { pointId: point.id, point: key, ts, value };
}

export interface DecodedEvent { ts: number; code: string; text: string | null }

/** `{"ts", "code", "text"?}` (DESIGN.md topics): a device's fault code, e.g. {"code": "E07", "text": "overcurrent"}. */
export function decodeEvent(payload: Buffer | string, limits: DecodeLimits): { event: DecodedEvent } | { reject: Reject } {
  let msg: unknown;
  try {
    msg = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (err) {
    return { reject: { code: 'OUTPOST_PAYLOAD_JSON', message: `event is not JSON: ${(err as Error).message}` } };
  }
  const { ts: rawTs, code, text } = (msg ?? {}) as { ts?: unknown; code?: unknown; text?: unknown };
  if (!msg || typeof msg !== 'object' || typeof code !== 'string' || !/^[\w.:-]{1,64}$/.test(code) || (text !== undefined && typeof text !== 'string')) {
    return { reject: { code: 'OUTPOST_PAYLOAD_SHAPE', message: 'event must be {"ts", "code": "<1-64 letters, digits, _.:->", "text"?: string}' } };
  }
  const ts = parseTs(rawTs, limits.now);
  if (ts === null) return { reject: { code: 'OUTPOST_TS_INVALID', message: `"ts" ${JSON.stringify(rawTs)} is neither epoch milliseconds nor ISO 8601` } };
  if (ts > limits.now + limits.maxFutureSkewMs) return { reject: { code: 'OUTPOST_TS_FUTURE', message: `"ts" is ${Math.round((ts - limits.now) / 1000)} s ahead of the box clock` } };
  return { event: { ts, code, text: typeof text === 'string' ? text.slice(0, 1000) : null } };
}
