// Dashboard shell: header, hash router, live stream and the view that is on screen.
import { applyI18n, bindLangSwitch, onLangChange, setTimeZone, t } from './i18n.js';
import { api, toLogin } from './api.js';
import * as store from './store.js';
import { h } from './dom.js';
import { overviewView, deviceView } from './views/overview.js';
import { liveView } from './views/live.js';
import { alarmsView, alarmView } from './views/alarms.js';
import { ticketsView, ticketView } from './views/tickets.js';
import { modbusAddView } from './views/modbus.js';
import { kbView } from './views/kb.js';

const viewEl = document.getElementById('view');
const bannerEl = document.querySelector('[data-testid="banner"]');
const toastsEl = document.querySelector('.toasts');

/** route name -> factory(ctx, param, query) returning {el, update?(topic, payload), destroy?()} */
const ROUTES = {
  overview: overviewView,
  device: deviceView,
  live: liveView,
  alarms: alarmsView,
  alarm: alarmView,
  tickets: ticketsView,
  ticket: ticketView,
  modbus: modbusAddView,
  kb: kbView,
};

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [name, ...rest] = path.split('/');
  const param = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { name: ROUTES[name] ? name : 'overview', param, query: new URLSearchParams(query) };
}

function toast(message, kind = 'ok') {
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  toastsEl.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 6000 : 3000);
}

/** What every view gets: the store, a toast, navigation, and error reporting that speaks the user's language. */
const ctx = {
  store,
  toast,
  go: (hash) => (location.hash = hash),
  fail(err) {
    if (err?.status === 401) return; // already on the way to the login page
    toast(t('common.error', { message: err?.message ?? String(err) }), 'error');
  },
};

let current = null;

function mount() {
  const route = parseHash();
  current?.destroy?.();
  try {
    current = ROUTES[route.name](ctx, route.param, route.query);
  } catch (err) {
    console.error(err);
    current = { el: h('p', { class: 'error' }, t('common.error', { message: err.message })) };
  }
  viewEl.replaceChildren(current.el);
  viewEl.dataset.route = route.name;
  for (const a of document.querySelectorAll('.tabs a')) {
    const r = a.dataset.route;
    const active = r === route.name || (r === 'alarms' && route.name === 'alarm') || (r === 'tickets' && route.name === 'ticket') || (r === 'overview' && route.name === 'device');
    a.classList.toggle('active', active);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// Views redraw at most once a frame however many events arrive: with a sped-up demo that is dozens a second.
// A hidden tab gets no animation frames, so a timer flushes too: the queue must not grow for hours in the background.
const pending = new Map();
let frame = 0;
let timer = 0;
function flush() {
  cancelAnimationFrame(frame);
  clearTimeout(timer);
  frame = timer = 0;
  const batch = [...pending];
  pending.clear();
  for (const [tp, payloads] of batch) current?.update?.(tp, payloads);
  if (batch.some(([tp]) => tp === 'alarms' || tp === 'tickets')) renderCounts();
}
function notify(topic, payload) {
  if (!pending.has(topic)) pending.set(topic, []);
  if (payload !== undefined) pending.get(topic).push(payload);
  if (frame || timer) return;
  frame = requestAnimationFrame(flush);
  timer = setTimeout(flush, 500);
}

function renderCounts() {
  const activeUnack = [...store.state.alarms.values()].filter((a) => a.status === 'ACTIVE_UNACK').length;
  const active = [...store.state.alarms.values()].filter((a) => a.status.startsWith('ACTIVE'));
  const alarmCount = document.querySelector('[data-testid="nav-alarm-count"]');
  alarmCount.hidden = active.length === 0;
  alarmCount.textContent = String(active.length);
  // Red while something is still waiting for an acknowledgement, so the operator sees it from any page.
  alarmCount.classList.toggle('count-urgent', activeUnack > 0);
  const openTickets = [...store.state.tickets.values()].filter((tk) => !['closed', 'cancelled'].includes(tk.status)).length;
  const ticketCount = document.querySelector('[data-testid="nav-ticket-count"]');
  ticketCount.hidden = openTickets === 0;
  ticketCount.textContent = String(openTickets);
}

function renderHeader() {
  const me = store.state.me;
  const userEl = document.querySelector('[data-testid="user"]');
  userEl.textContent = me ? `${me.username} · ${t(`role.${me.role}`)}` : '';
  const conn = document.querySelector('[data-testid="conn-state"]');
  conn.dataset.state = store.state.conn;
  conn.textContent = store.state.conn === 'live' ? t('header.live') : t('header.reconnecting');
  const siteLabel = document.querySelector('.site-switch');
  const siteSel = siteLabel.querySelector('select');
  siteLabel.hidden = store.state.sites.length < 2;
  siteSel.replaceChildren(...store.state.sites.map((s) => h('option', { value: s.id }, s.name)));
  siteSel.value = store.state.siteId ?? '';
  document.title = store.currentSite() ? `${store.currentSite().name} · ${t('app.title')}` : t('app.title');
}

function showBanner(key) {
  bannerEl.hidden = !key;
  bannerEl.textContent = key ? t(key) : '';
}

async function boot() {
  applyI18n(document);
  bindLangSwitch(document.querySelector('[data-testid="lang-switch"]'));
  onLangChange(() => {
    renderHeader();
    mount(); // a fresh view is the simplest way to be sure no string stays in the old language
  });

  document.querySelector('[data-testid="logout"]').addEventListener('click', async () => {
    store.disconnectEvents();
    await api('/auth/logout', { method: 'POST' }).catch(() => {});
    location.assign('/login.html');
  });
  document.querySelector('[data-testid="site-switch"]').addEventListener('change', (ev) => {
    store.selectSite(ev.target.value).then(() => {
      setTimeZone(store.currentSite()?.timezone);
      renderHeader();
      mount();
    });
  });

  try {
    await store.loadMe();
  } catch (err) {
    // 401 is already on its way to the login page; anything else (box unreachable) is worth a retry there too.
    if (err.status !== 401) toLogin();
    return;
  }
  store.on('conn', () => {
    renderHeader();
    showBanner(store.state.conn === 'reconnecting' ? 'common.networkError' : null);
  });
  for (const topic of ['overview', 'devices', 'latest', 'reading', 'alarms', 'tickets']) store.on(topic, (p) => notify(topic, p));
  store.on('error', (err) => ctx.fail(err));

  await store.loadSites().catch(ctx.fail);
  setTimeZone(store.currentSite()?.timezone);
  renderHeader();
  if (!store.state.siteId) showBanner('common.noSite');
  window.addEventListener('hashchange', mount);
  mount();
  store.connectEvents();
  await store.refreshAll();
  renderCounts();
  current?.update?.('loaded', []);

  // Relative times ("2 min ago") age even when nothing happens; a cheap periodic refresh keeps them honest.
  setInterval(() => notify('tick'), 15000);
  // A slow full refresh covers anything an SSE hiccup may have missed.
  setInterval(() => store.refreshAll(), 60000);
}

boot();
