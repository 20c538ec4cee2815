// Site overview (asset tiles coloured by state, devices and their latest values) and the device detail page.
import { t, fmtNumber, fmtRelative, fmtDateTime, alarmTypeLabel } from '../i18n.js';
import { api } from '../api.js';
import { pointZone } from '../vibration-zone.js';
import { h, setChildren, sevBadge, deviceStatusDot, fields, alarmStatusBadge } from '../dom.js';
import { state, latestKey, pointsOf, pointDef, currentSite, assetName, loadDevices } from '../store.js';
import { linkPanel, enumLabel } from './modbus.js';

const SEV_RANK = { CRITICAL: 0, MAJOR: 1, MINOR: 2, WARNING: 3 };

function tileClass(asset) {
  if (asset.state === 'alarm') return `tile tile-alarm sev-${asset.severity ?? 'WARNING'}`;
  if (asset.state === 'offline') return 'tile tile-offline';
  return 'tile tile-ok';
}

function stateText(asset) {
  if (asset.state === 'alarm') return asset.severity ? `${t('state.alarm')} · ${t(`sev.${asset.severity}`)}` : t('state.alarm');
  return t(`state.${asset.state}`) ?? asset.state;
}

function valueText(deviceId, key) {
  const v = state.latest.get(latestKey(deviceId, key));
  const def = pointDef(deviceId, key);
  return v ? `${fmtNumber(v.value)}${def.unit ? ` ${def.unit}` : ''}` : t('common.none');
}

/** The ISO 10816-3 zone badge of a vibration point (null when no zone rule classifies it). */
function zoneBadge(deviceId, key, value, known = null) {
  const dev = state.devices.get(deviceId);
  const zone = pointZone(dev ? state.profiles.get(dev.profileId) : null, key, value) ?? known;
  if (!zone) return null;
  return h('span', { class: `badge iso-zone iso-zone-${zone}`, testid: 'point-zone', dataset: { zone }, title: `${t('zone.title')}: ${t(`zone.${zone}`)}` }, zone);
}

/** Reject count of a device, from /devices: the overview's own device entries do not carry it. */
function rejectBadge(deviceId) {
  const n = state.devices.get(deviceId)?.rejected ?? 0;
  if (!n) return null;
  return h('span', { class: 'badge badge-reject', testid: 'device-rejects', title: t('overview.rejectedTitle') }, t('overview.rejected', { n }));
}

export function overviewView(ctx) {
  const el = h('section', { class: 'view view-overview', testid: 'overview' });
  /** value cells by latestKey, so a reading updates one cell instead of redrawing the page */
  let cells = new Map();

  function deviceBlock(dev) {
    const full = state.devices.get(dev.id) ?? dev;
    const status = full.status ?? dev.status;
    const points = pointsOf(dev.id);
    return h(
      'li',
      { class: 'tile-device', testid: 'device-row', dataset: { deviceId: dev.id, status: status ?? 'unknown' } },
      h(
        'div',
        { class: 'tile-device-head' },
        deviceStatusDot(status),
        h('a', { href: `#/device/${encodeURIComponent(dev.id)}`, class: 'device-link', testid: 'device-link' }, dev.name ?? dev.id),
        h('span', { class: 'muted small' }, t(`device.${status === 'online' || status === 'offline' ? status : 'unknown'}`)),
        rejectBadge(dev.id),
        h('a', { href: `#/live/${encodeURIComponent(dev.id)}`, class: 'icon-link', title: t('nav.live'), 'aria-label': t('nav.live') }, '〜'),
      ),
      points.length
        ? h(
            'div',
            { class: 'point-grid' },
            points.map((p) => {
              const val = h('div', { class: 'point-value', testid: 'point-value', dataset: { point: p.key } }, valueText(dev.id, p.key));
              const zone = h('span', { class: 'point-zone' }, zoneBadge(dev.id, p.key, state.latest.get(latestKey(dev.id, p.key))?.value));
              cells.set(latestKey(dev.id, p.key), { val, zone });
              return h('div', { class: 'point' }, h('div', { class: 'point-name', title: `${p.name ?? p.key} (${p.key})` }, p.name ?? p.key, ' ', zone), val);
            }),
          )
        : h('p', { class: 'muted small' }, t('overview.noValues')),
    );
  }

  function assetAlarms(assetId) {
    return [...state.alarms.values()]
      .filter((a) => a.assetId === assetId && a.status.startsWith('ACTIVE'))
      .sort((a, b) => SEV_RANK[a.severity] - SEV_RANK[b.severity]);
  }

  function tile(asset) {
    const alarms = assetAlarms(asset.id);
    return h(
      'article',
      { class: tileClass(asset), testid: 'asset-tile', dataset: { assetId: asset.id, state: asset.state, severity: asset.severity ?? '' } },
      h(
        'header',
        { class: 'tile-head' },
        h('div', { class: 'tile-title' }, h('strong', { title: asset.name }, asset.name), asset.type ? h('span', { class: 'tile-type' }, String(asset.type).replace(/_/g, ' ')) : null),
        h('span', { class: 'tile-state', testid: 'asset-state' }, stateText(asset)),
      ),
      alarms.length
        ? h(
            'ul',
            { class: 'tile-alarms' },
            alarms.map((a) =>
              h('li', null, h('a', { href: `#/alarm/${encodeURIComponent(a.id)}` }, sevBadge(a.severity), ' ', alarmTypeLabel(a.type), ' · ', fmtRelative(a.startTs))),
            ),
          )
        : null,
      asset.devices?.length ? h('ul', { class: 'tile-devices' }, asset.devices.map(deviceBlock)) : h('p', { class: 'muted small pad' }, t('overview.noDevices')),
    );
  }

  let lastSig = '';

  /** What the tiles show, except values (those are patched in place): equal means a redraw would change nothing. */
  function signature() {
    const devs = [...state.devices.values()].map((d) => `${d.id}:${d.status}:${d.rejected}`).join();
    const alarms = [...state.alarms.values()].filter((a) => a.status.startsWith('ACTIVE')).map((a) => `${a.id}:${a.severity}`).join();
    return `${JSON.stringify(state.overview, (k, v) => (k === 'lastSeenTs' ? undefined : v))}|${devs}|${alarms}|${state.profiles.size}|${state.latest.size}`;
  }

  /**
   * Zones sit side by side, each as wide as its tiles need (grow and basis in proportion to the tile count), so a
   * site with small zones fits one screen and a big zone takes a full row of its own.
   */
  function zoneBlock(name, n, tiles) {
    return h(
      'section',
      { class: 'zone', style: { flex: `${n} ${n} ${n * 320}px` } },
      name ? h('h2', { class: 'zone-title' }, name) : null,
      h('div', { class: 'tiles' }, tiles),
    );
  }

  function render(force = true) {
    const sig = signature();
    if (!force && sig === lastSig) return;
    lastSig = sig;
    cells = new Map();
    const ov = state.overview;
    const site = currentSite();
    if (!ov) {
      setChildren(el, h('p', { class: 'muted' }, state.siteId ? t('common.loading') : t('common.noSite')));
      return;
    }
    const assets = ov.assets ?? [];
    const counts = { ok: 0, alarm: 0, offline: 0 };
    for (const a of assets) counts[a.state] = (counts[a.state] ?? 0) + 1;
    // Worst first: an operator scanning the wall should meet the red tiles before the green ones.
    const rank = (a) => (a.state === 'alarm' ? SEV_RANK[a.severity] ?? 3 : a.state === 'offline' ? 4 : 5);
    const sorted = [...assets].sort((a, b) => rank(a) - rank(b) || String(a.name).localeCompare(String(b.name)));

    const zones = ov.zones ?? [];
    const groups = [];
    if (zones.length > 1) {
      for (const z of zones) groups.push({ name: z.name, assets: sorted.filter((a) => a.zoneId === z.id) });
      const rest = sorted.filter((a) => !zones.some((z) => z.id === a.zoneId));
      if (rest.length) groups.push({ name: t('overview.zoneNone'), assets: rest });
    } else {
      groups.push({ name: null, assets: sorted });
    }

    const inAsset = new Set(assets.flatMap((a) => (a.devices ?? []).map((d) => d.id)));
    const loose = [...state.devices.values()].filter((d) => d.siteId === state.siteId && !inAsset.has(d.id));

    setChildren(el, 
      h(
        'div',
        { class: 'view-head' },
        h('h1', null, t('overview.title'), site ? h('span', { class: 'muted' }, ` · ${site.name}`) : null),
        // Every time on these pages is the site's local time; saying which zone saves a wrong guess from a remote desk.
        site?.timezone ? h('span', { class: 'muted small', testid: 'site-timezone' }, t('overview.timezone', { tz: site.timezone })) : null,
        state.me?.role === 'admin' ? h('a', { class: 'btn', href: '#/modbus', testid: 'add-modbus' }, t('modbus.add')) : null,
        h(
          'div',
          { class: 'summary', testid: 'overview-summary' },
          h('span', { class: 'chip chip-ok' }, t('overview.summary.ok', { n: counts.ok })),
          h('span', { class: 'chip chip-alarm' }, t('overview.summary.alarm', { n: counts.alarm })),
          h('span', { class: 'chip chip-offline' }, t('overview.summary.offline', { n: counts.offline })),
        ),
      ),
      h(
        'div',
        { class: 'zones' },
        [
          ...groups.filter((g) => g.assets.length).map((g) => zoneBlock(g.name, g.assets.length, g.assets.map(tile))),
          loose.length
            ? zoneBlock(t('overview.unassigned'), 1, h('article', { class: 'tile tile-neutral' }, h('ul', { class: 'tile-devices' }, loose.map(deviceBlock))))
            : null,
        ],
      ),
    );
  }

  render();
  // Rejected messages raise no live event, so reject counts are fetched while the overview is on screen.
  const rejectPoll = setInterval(() => loadDevices().catch(() => {}), 10_000);
  return {
    el,
    destroy() {
      clearInterval(rejectPoll);
    },
    update(topic, payloads) {
      if (topic === 'reading') {
        for (const r of payloads) {
          const cell = cells.get(latestKey(r.deviceId, r.point));
          if (!cell) return render(); // a point we have not drawn yet: redraw once
          cell.val.textContent = valueText(r.deviceId, r.point);
          setChildren(cell.zone, zoneBadge(r.deviceId, r.point, r.value));
        }
        return;
      }
      render(topic === 'tick' || topic === 'loaded');
    },
  };
}

export function deviceView(ctx, id) {
  const el = h('section', { class: 'view view-device', testid: 'device-detail', dataset: { deviceId: id } });
  let dev = null;
  let error = null;
  let cells = new Map();

  async function load() {
    try {
      dev = await api(`/devices/${encodeURIComponent(id)}`);
      error = null;
    } catch (err) {
      error = err;
      if (err.status !== 404) ctx.fail(err);
    }
    render();
  }

  function render() {
    cells = new Map();
    if (!dev) {
      setChildren(el, h('p', { class: error ? 'error' : 'muted' }, error ? t('common.error', { message: error.message }) : t('common.loading')));
      return;
    }
    const status = dev.status === 'online' || dev.status === 'offline' ? dev.status : 'unknown';
    const alarms = [...state.alarms.values()].filter((a) => a.deviceId === id && a.status.startsWith('ACTIVE'));
    const rejects = dev.rejects ?? [];
    setChildren(el, 
      h(
        'div',
        { class: 'view-head' },
        h('a', { href: '#/overview', class: 'back' }, '← ', t('nav.overview')),
        h('h1', null, t('device.title', { name: dev.name ?? id })),
        h('a', { class: 'btn', href: `#/live/${encodeURIComponent(id)}`, testid: 'device-open-live' }, t('device.openCharts')),
      ),
      h(
        'div',
        { class: 'cols' },
        h(
          'div',
          { class: 'panel' },
          fields([
            [t('device.id'), h('code', null, dev.id)],
            [t('device.status'), [deviceStatusDot(status), ' ', t(`device.${status}`)], 'device-status'],
            [t('device.asset'), dev.assetId ? assetName(dev.assetId) : t('common.none')],
            [t('device.profile'), state.profiles.get(dev.profileId)?.name ?? dev.profileId ?? t('common.none')],
            [t('device.lastSeen'), dev.lastSeenTs ? `${fmtDateTime(dev.lastSeenTs)} (${fmtRelative(dev.lastSeenTs)})` : t('common.none')],
          ]),
          h('h2', null, t('device.alarms')),
          alarms.length
            ? h(
                'ul',
                { class: 'plain-list' },
                alarms.map((a) =>
                  h('li', null, h('a', { href: `#/alarm/${encodeURIComponent(a.id)}` }, sevBadge(a.severity), ' ', alarmTypeLabel(a.type), ' '), alarmStatusBadge(a.status)),
                ),
              )
            : h('p', { class: 'muted' }, t('device.noAlarms')),
        ),
        h(
          'div',
          { class: 'panel' },
          h('h2', null, t('device.points')),
          h(
            'table',
            { class: 'table' },
            h('thead', null, h('tr', null, h('th', null, t('device.point')), h('th', { class: 'num' }, t('device.value')), h('th', { title: t('zone.title') }, t('device.zone')), h('th', null, t('device.time')))),
            h(
              'tbody',
              null,
              (dev.points ?? []).map((p) => {
                const live = state.latest.get(latestKey(id, p.key));
                const cur = live && (p.ts == null || live.ts >= p.ts) ? live : { ts: p.ts, value: p.value };
                const v = h('td', { class: 'num' }, cur.value == null ? t('common.none') : `${fmtNumber(cur.value)}${p.unit ? ` ${p.unit}` : ''}${enumLabel(dev.link, p.key, cur.value)}`);
                const ts = h('td', { class: 'muted' }, cur.ts ? fmtDateTime(cur.ts) : t('common.none'));
                const zone = h('td', null, zoneBadge(id, p.key, cur.value, cur === live ? null : p.zone));
                cells.set(p.key, { v, ts, zone, unit: p.unit });
                return h('tr', null, h('td', { title: p.key }, p.name ?? p.key), v, zone, ts);
              }),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'panel', testid: 'device-rejects-panel' },
        h('h2', null, t('device.rejects'), ' ', h('span', { class: 'muted small', testid: 'device-reject-count' }, t('device.rejectCount', { n: dev.rejected ?? 0 }))),
        rejects.length
          ? h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, h('th', null, t('device.time')), h('th', null, t('device.rejectCode')), h('th', null, t('device.rejectMessage')))),
              h(
                'tbody',
                null,
                [...rejects]
                  .sort((a, b) => b.ts - a.ts)
                  .map((r) => h('tr', { testid: 'reject-row' }, h('td', { class: 'nowrap' }, fmtDateTime(r.ts)), h('td', null, h('code', null, r.code)), h('td', null, r.message))),
              ),
            )
          : h('p', { class: 'muted' }, t('device.noRejects')),
      ),
      dev.link ? linkPanel(dev.link) : null,
    );
  }

  let reloadTimer = null;
  render();
  load();
  return {
    el,
    update(topic, payloads) {
      if (topic === 'reading') {
        for (const r of payloads) {
          if (r.deviceId !== id) continue;
          const c = cells.get(r.point);
          if (!c) continue;
          c.v.textContent = `${fmtNumber(r.value)}${c.unit ? ` ${c.unit}` : ''}${enumLabel(dev?.link, r.point, r.value)}`;
          c.ts.textContent = fmtDateTime(r.ts);
          setChildren(c.zone, zoneBadge(id, r.point, r.value));
        }
        return;
      }
      if (topic === 'devices' || topic === 'tick') {
        // Status and the reject list live on the server: fetch again, but not on every event.
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(load, 1000);
        return;
      }
      render();
    },
    destroy() {
      clearTimeout(reloadTimer);
    },
  };
}
