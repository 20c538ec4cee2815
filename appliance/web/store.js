// Client-side state of the dashboard: what the API returned, kept current by the SSE stream, with change notifications.
import { api, toLogin, markSession } from './api.js';

const listeners = new Map(); // topic -> Set<fn>

export const state = {
  me: null,
  sites: [],
  siteId: null,
  overview: null,
  /** @type {Map<string, any>} */ devices: new Map(),
  /** @type {Map<string, any>} */ profiles: new Map(),
  /** latest value per device and point, keyed by latestKey() */
  /** @type {Map<string, {ts:number, value:number}>} */ latest: new Map(),
  /** @type {Map<string, any>} */ alarms: new Map(),
  /** @type {Map<string, any>} */ tickets: new Map(),
  /** 'connecting' | 'live' | 'reconnecting' */
  conn: 'connecting',
  lastError: null,
};

export const latestKey = (deviceId, point) => `${deviceId}\u0000${point}`;

/** Subscribe to a topic: overview, devices, latest, reading, alarms, tickets, conn, error. Returns the unsubscribe. */
export function on(topic, fn) {
  if (!listeners.has(topic)) listeners.set(topic, new Set());
  listeners.get(topic).add(fn);
  return () => listeners.get(topic).delete(fn);
}

function emit(topic, payload) {
  for (const fn of listeners.get(topic) ?? []) {
    try {
      fn(payload);
    } catch (err) {
      console.error(`listener for ${topic} failed`, err);
    }
  }
}

export function reportError(err) {
  state.lastError = err;
  emit('error', err);
}

// ---- loading ------------------------------------------------------------------------------

export async function loadMe() {
  state.me = await api('/auth/me');
  markSession();
  return state.me;
}

export async function loadSites() {
  state.sites = (await api('/sites')) ?? [];
  const saved = localStorage.getItem('outpost.site');
  state.siteId = state.sites.find((s) => s.id === saved)?.id ?? state.sites[0]?.id ?? null;
  return state.sites;
}

export function currentSite() {
  return state.sites.find((s) => s.id === state.siteId) ?? null;
}

export function selectSite(id) {
  state.siteId = id;
  localStorage.setItem('outpost.site', id);
  return refreshAll();
}

export async function loadOverview() {
  if (!state.siteId) return;
  state.overview = await api(`/sites/${encodeURIComponent(state.siteId)}/overview`);
  emit('overview');
}

export async function loadDevices() {
  const list = (await api('/devices')) ?? [];
  state.devices = new Map(list.map((d) => [d.id, d]));
  emit('devices');
}

export async function loadProfiles() {
  const list = (await api('/profiles')) ?? [];
  state.profiles = new Map(list.map((p) => [p.id, p]));
}

export async function loadLatest() {
  const list = (await api('/latest')) ?? [];
  state.latest = new Map(list.map((r) => [latestKey(r.deviceId, r.point), { ts: r.ts, value: r.value }]));
  emit('latest');
}

/**
 * The doc names only ?active=true|false; asking both and merging gives "all" whichever way the server reads false
 * (as "not filtered" or as "only cleared"), so the toggle never silently hides alarms.
 */
export async function loadAlarms(all = false) {
  const lists = await Promise.all(all ? [api('/alarms?active=true'), api('/alarms?active=false')] : [api('/alarms?active=true')]);
  if (!all) {
    // Alarms not in the active list any more have ended; keep them only as cleared history.
    for (const a of state.alarms.values()) if (a.status.startsWith('ACTIVE')) state.alarms.delete(a.id);
  }
  for (const list of lists) for (const a of list ?? []) state.alarms.set(a.id, a);
  emit('alarms');
}

/** Same merge as loadAlarms for ?open=true|false. */
export async function loadTickets(all = false) {
  const lists = await Promise.all(all ? [api('/tickets?open=true'), api('/tickets?open=false')] : [api('/tickets?open=true')]);
  for (const list of lists) for (const tk of list ?? []) state.tickets.set(tk.id, tk);
  emit('tickets');
}

export async function refreshAll() {
  const results = await Promise.allSettled([loadOverview(), loadDevices(), loadLatest(), loadAlarms(), loadTickets(), loadProfiles()]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) reportError(failed.reason);
}

// ---- look-ups the views share ---------------------------------------------------------------

export function deviceName(id) {
  return state.devices.get(id)?.name ?? findOverviewDevice(id)?.name ?? id ?? '';
}

export function assetName(id) {
  if (!id) return '';
  return state.overview?.assets?.find((a) => a.id === id)?.name ?? id;
}

function findOverviewDevice(id) {
  for (const a of state.overview?.assets ?? []) for (const d of a.devices ?? []) if (d.id === id) return d;
  return null;
}

/** Name and unit of a point, from the device's profile; the key alone when the profile does not know it. */
export function pointDef(deviceId, key) {
  const dev = state.devices.get(deviceId);
  const prof = dev ? state.profiles.get(dev.profileId) : null;
  return prof?.points?.find((p) => p.key === key) ?? { key, name: key };
}

export function pointsOf(deviceId) {
  const dev = state.devices.get(deviceId);
  const prof = dev ? state.profiles.get(dev.profileId) : null;
  const keys = new Set((prof?.points ?? []).map((p) => p.key));
  for (const k of state.latest.keys()) {
    const [d, p] = k.split('\u0000');
    if (d === deviceId) keys.add(p);
  }
  return [...keys].map((k) => pointDef(deviceId, k));
}

export function upsertAlarm(a) {
  state.alarms.set(a.id, a);
  emit('alarms', a);
}

export function upsertTicket(tk) {
  state.tickets.set(tk.id, tk);
  emit('tickets', tk);
}

// ---- live stream ----------------------------------------------------------------------------

let es = null;
let overviewTimer = null;
let hadError = false;

/** Asset states are derived on the server (highest active severity, offline): refetch, but at most twice a second. */
function scheduleOverview() {
  if (overviewTimer) return;
  overviewTimer = setTimeout(() => {
    overviewTimer = null;
    loadOverview().catch(reportError);
  }, 500);
}

function setConn(c) {
  if (state.conn === c) return;
  state.conn = c;
  emit('conn', c);
}

function parse(ev) {
  try {
    return JSON.parse(ev.data);
  } catch {
    return null;
  }
}

export function connectEvents() {
  if (es) es.close();
  es = new EventSource('/api/v1/events', { withCredentials: true });
  es.addEventListener('open', () => {
    setConn('live');
    if (hadError) {
      // Events sent while we were away are lost: catch up from the API once the stream is back.
      hadError = false;
      refreshAll();
    }
  });
  es.addEventListener('error', async () => {
    hadError = true;
    setConn('reconnecting');
    if (es.readyState === EventSource.CLOSED) {
      // The browser gives up on a non-200 answer (a 401 when the session ended): find out which, then retry ourselves.
      try {
        await loadMe();
      } catch (err) {
        if (err.status === 401) return toLogin();
      }
      setTimeout(connectEvents, 3000);
    }
  });
  es.addEventListener('reading', (ev) => {
    const r = parse(ev);
    if (!r) return;
    const k = latestKey(r.deviceId, r.point);
    const prev = state.latest.get(k);
    if (!prev || prev.ts <= r.ts) state.latest.set(k, { ts: r.ts, value: r.value });
    const dev = state.devices.get(r.deviceId);
    if (dev && (dev.lastSeenTs ?? 0) < r.ts) dev.lastSeenTs = r.ts;
    emit('reading', r);
  });
  es.addEventListener('alarm', (ev) => {
    const a = parse(ev);
    if (!a) return;
    upsertAlarm(a);
    scheduleOverview();
  });
  es.addEventListener('ticket', (ev) => {
    const tk = parse(ev);
    if (tk) upsertTicket(tk);
  });
  es.addEventListener('device', (ev) => {
    const d = parse(ev);
    if (!d) return;
    const dev = state.devices.get(d.id);
    if (dev) Object.assign(dev, d);
    emit('devices', d);
    scheduleOverview();
  });
}

export function disconnectEvents() {
  es?.close();
  es = null;
}
