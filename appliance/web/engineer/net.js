// The network side of the app: reads that fall back to the last copy when the site Wi-Fi drops, and writes that
// go through the outbox (sent now when possible, else later, in order, each once).
import { cache, outbox, newKey } from './store.js';
import { readBody as parse } from '../api.js';

export class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const listeners = new Set();
/** Called with { online, pending, failed } whenever the outbox or the connection changes. */
export function onNetChange(fn) {
  listeners.add(fn);
}
let online = true;
let pending = 0;
let lastFailure = null;
function notify() {
  for (const fn of listeners) fn({ online, pending, failed: lastFailure });
}
function setOnline(v) {
  if (online !== v) {
    online = v;
    notify();
  }
}
export const isOnline = () => online;

let onAuthLost = () => {};
export function whenLoggedOut(fn) {
  onAuthLost = fn;
}


/** GET with the last good answer as the fallback: { data, stale }. */
export async function read(path) {
  let res;
  try {
    res = await fetch(`/api/v1${path}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    setOnline(false);
    const copy = await cache.get(path).catch(() => undefined);
    if (copy === undefined) throw new HttpError(0, 'NETWORK', 'offline');
    return { data: copy, stale: true };
  }
  setOnline(true);
  const data = await parse(res);
  if (res.status === 401) {
    onAuthLost();
    throw new HttpError(401, 'OUTPOST_AUTH_REQUIRED', 'login required');
  }
  if (!res.ok) throw new HttpError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? res.statusText);
  cache.put(path, data).catch(() => {});
  return { data, stale: false };
}

/** A plain request that needs the box now (login, logout): no outbox. */
export async function call(path, { method = 'POST', body } = {}) {
  const res = await fetch(`/api/v1${path}`, {
    method, credentials: 'same-origin',
    headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const data = await parse(res);
  if (!res.ok) throw new HttpError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? res.statusText);
  return data;
}

/**
 * Queues an action and tries to send the queue. Returns when this action got its answer (or stays queued):
 * { queued: true } or { data }. A refusal (4xx) is dropped from the queue and reported.
 */
export async function send(path, { body, blob, contentType, jobId, kind, label }) {
  const item = { key: newKey(), path, body, blob, contentType, jobId, kind, label, ts: Date.now() };
  await outbox.add(item);
  await flush();
  // Sent by this flush or by one already running when it was queued; else it waits in the outbox.
  const r = answers.get(item.key);
  answers.delete(item.key);
  return r ?? { queued: true };
}

/** Answers of sent actions, by key, for the send() that queued them. */
const answers = new Map();

let flushing = null;
/** Sends what is queued, oldest first; stops at the first network failure so the order is kept. */
export function flush() {
  if (flushing) return flushing.then(() => flush());
  flushing = (async () => {
    const items = await outbox.all();
    for (const it of items) {
      let res;
      try {
        res = await fetch(`/api/v1${it.path}`, {
          method: 'POST', credentials: 'same-origin',
          headers: { accept: 'application/json', 'idempotency-key': it.key, 'content-type': it.blob ? it.contentType : 'application/json' },
          body: it.blob ? it.blob : JSON.stringify(it.body ?? {}),
        });
      } catch {
        setOnline(false);
        break;
      }
      setOnline(true);
      if (res.status === 401) {
        onAuthLost();
        break;
      }
      // The box had trouble (5xx): try again later rather than lose the action.
      if (res.status >= 500) break;
      const data = await parse(res);
      await outbox.remove(it.seq);
      if (res.ok) answers.set(it.key, { data });
      else {
        lastFailure = { label: it.label, kind: it.kind, code: data?.code, message: data?.message ?? res.statusText };
        answers.set(it.key, { error: new HttpError(res.status, data?.code, data?.message) });
      }
      // Replayed later, nobody waits for the answer: keep the map from growing.
      if (answers.size > 200) answers.delete(answers.keys().next().value);
    }
    pending = (await outbox.all()).length;
    notify();
  })();
  return flushing.finally(() => {
    flushing = null;
  });
}

export async function pendingCount() {
  pending = (await outbox.all()).length;
  return pending;
}

export function clearFailure() {
  lastFailure = null;
  notify();
}

window.addEventListener('online', () => flush());
window.addEventListener('offline', () => setOnline(false));
// Weak Wi-Fi comes and goes without telling the browser: try the queue every few seconds while it is not empty.
setInterval(() => {
  if (pending > 0) flush();
}, 5000);
