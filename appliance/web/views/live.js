// Live charts: one uPlot per point of the chosen device, 15 minutes of history, then appended from the SSE stream.
import { t, fmtNumber, fmtRelative } from '../i18n.js';
import { api, qs } from '../api.js';
import { h, setChildren } from '../dom.js';
import { state, pointsOf, assetName, latestKey } from '../store.js';
import { makeChart, SEV_COLOR } from '../chart.js';

const WINDOW_MS = 15 * 60 * 1000;
const CHART_HEIGHT = 200;

/** Threshold levels the device's profile declares for a point: drawn as dashed lines on its chart. */
function thresholdLines(deviceId, point) {
  const dev = state.devices.get(deviceId);
  const prof = dev ? state.profiles.get(dev.profileId) : null;
  const out = [];
  for (const rule of prof?.rules ?? []) {
    if (rule.kind !== 'threshold' || rule.point !== point) continue;
    for (const lvl of rule.levels ?? []) {
      const value = lvl.above ?? lvl.below;
      if (value == null) continue;
      out.push({ value, color: SEV_COLOR[lvl.severity] ?? '#888', label: `${t(`sev.${lvl.severity}`)} ${lvl.above != null ? '>' : '<'} ${fmtNumber(value)}` });
    }
  }
  return out;
}

export function liveView(ctx, deviceParam) {
  const el = h('section', { class: 'view view-live', testid: 'live' });
  let deviceId = deviceParam;
  /** point -> {ts:number[], values:number[], plot, head, valueEl, loaded, buffer} */
  let charts = new Map();
  let resizeObs = null;
  let destroyed = false;

  function pickDefault() {
    if (deviceId) return;
    const devs = [...state.devices.values()].filter((d) => !state.siteId || d.siteId === state.siteId);
    // Land on the device that is in trouble, if any: that is usually why the operator opened the charts.
    const alarmed = [...state.alarms.values()].find((a) => a.status.startsWith('ACTIVE') && devs.some((d) => d.id === a.deviceId));
    deviceId = alarmed?.deviceId ?? devs.find((d) => d.status === 'online')?.id ?? devs[0]?.id ?? null;
    if (deviceId) history.replaceState(null, '', `#/live/${encodeURIComponent(deviceId)}`);
  }

  function picker() {
    const devs = [...state.devices.values()]
      .filter((d) => !state.siteId || d.siteId === state.siteId)
      .sort((a, b) => `${assetName(a.assetId)} ${a.name}`.localeCompare(`${assetName(b.assetId)} ${b.name}`));
    const sel = h(
      'select',
      { testid: 'live-device', onchange: (ev) => ctx.go(`#/live/${encodeURIComponent(ev.target.value)}`) },
      deviceId ? null : h('option', { value: '' }, t('live.pick')),
      devs.map((d) => h('option', { value: d.id }, d.assetId ? `${assetName(d.assetId)} / ${d.name}` : d.name)),
    );
    sel.value = deviceId ?? '';
    return h('label', { class: 'inline-field' }, h('span', null, t('live.device')), sel);
  }

  function destroyCharts() {
    for (const c of charts.values()) c.plot?.destroy();
    charts = new Map();
    resizeObs?.disconnect();
  }

  function chartWidth(box) {
    return Math.max(280, Math.floor(box.clientWidth) - 2);
  }

  function build() {
    destroyCharts();
    pickDefault();
    const grid = h('div', { class: 'chart-grid', testid: 'live-charts' });
    setChildren(el, 
      h('div', { class: 'view-head' }, h('h1', null, t('live.title')), picker(), h('span', { class: 'muted small' }, t('live.window'))),
      grid,
    );
    if (!deviceId) return;
    const points = pointsOf(deviceId);
    if (!points.length) {
      grid.append(h('p', { class: 'muted' }, state.devices.size ? t('live.noPoints') : t('common.loading')));
      return;
    }
    for (const p of points) {
      const valueEl = h('span', { class: 'chart-value', testid: 'chart-value' });
      const ageEl = h('span', { class: 'muted small' });
      const box = h('div', { class: 'chart-box' });
      const panel = h(
        'div',
        { class: 'panel chart-panel', testid: 'live-chart', dataset: { point: p.key } },
        h('div', { class: 'chart-head' }, h('strong', null, p.name ?? p.key), p.unit ? h('span', { class: 'muted' }, ` ${p.unit}`) : null, valueEl, ageEl),
        box,
      );
      grid.append(panel);
      charts.set(p.key, { def: p, ts: [], values: [], plot: null, box, valueEl, ageEl, loaded: false, buffer: [] });
    }
    // Sizes are only known once the grid is in the document.
    requestAnimationFrame(() => {
      if (destroyed) return;
      for (const [key, c] of charts) {
        c.plot = makeChart(c.box, {
          series: [{ label: c.def.name ?? key, unit: c.def.unit }],
          data: [c.ts, c.values],
          width: chartWidth(c.box),
          height: CHART_HEIGHT,
          xRange: () => [Date.now() - WINDOW_MS, Date.now()],
          lines: () => thresholdLines(deviceId, key),
        });
      }
      // Each box is watched on its own: the grid's size can stay put while its columns settle.
      resizeObs = new ResizeObserver((entries) => {
        for (const e of entries) {
          const c = [...charts.values()].find((x) => x.box === e.target);
          const w = chartWidth(e.target);
          if (c?.plot && Math.abs(c.plot.width - w) > 1) c.plot.setSize({ width: w, height: CHART_HEIGHT });
        }
      });
      for (const c of charts.values()) resizeObs.observe(c.box);
      loadHistory();
    });
  }

  async function loadHistory() {
    const dev = deviceId;
    const to = Date.now();
    const from = to - WINDOW_MS;
    await Promise.all(
      [...charts].map(async ([key, c]) => {
        try {
          const r = await api(`/devices/${encodeURIComponent(dev)}/readings${qs({ point: key, from, to })}`);
          if (destroyed || dev !== deviceId || charts.get(key) !== c) return;
          c.ts = [...(r?.ts ?? [])];
          c.values = [...(r?.values ?? [])];
        } catch (err) {
          ctx.fail(err);
        }
        c.loaded = true;
        // Readings that arrived while the history was on its way: keep the ones newer than the history's end.
        for (const rd of c.buffer) push(c, rd);
        c.buffer = [];
        redraw(c);
      }),
    );
  }

  function push(c, r) {
    const n = c.ts.length;
    if (n && r.ts < c.ts[n - 1]) return; // uPlot needs ascending x; a late reading is already in the history
    if (n && r.ts === c.ts[n - 1]) {
      c.values[n - 1] = r.value;
      return;
    }
    c.ts.push(r.ts);
    c.values.push(r.value);
  }

  function redraw(c) {
    const cutoff = Date.now() - WINDOW_MS;
    let drop = 0;
    while (drop < c.ts.length && c.ts[drop] < cutoff) drop++;
    if (drop) {
      c.ts.splice(0, drop);
      c.values.splice(0, drop);
    }
    c.plot?.setData([c.ts, c.values]);
    const live = state.latest.get(latestKey(deviceId, c.def.key));
    const last = c.ts.length ? { ts: c.ts.at(-1), value: c.values.at(-1) } : live;
    c.valueEl.textContent = last ? `${fmtNumber(last.value)}${c.def.unit ? ` ${c.def.unit}` : ''}` : '';
    c.ageEl.textContent = last ? fmtRelative(last.ts) : c.loaded ? t('live.noData') : t('common.loading');
  }

  build();
  return {
    el,
    update(topic, payloads) {
      if (topic === 'reading') {
        const touched = new Set();
        for (const r of payloads) {
          if (r.deviceId !== deviceId) continue;
          const c = charts.get(r.point);
          if (!c) continue;
          if (c.loaded) push(c, r);
          else c.buffer.push(r);
          touched.add(c);
        }
        for (const c of touched) redraw(c);
        return;
      }
      if (topic === 'tick') {
        for (const c of charts.values()) redraw(c); // slides the window even when the device went quiet
        return;
      }
      // The device list or profiles arrived after we drew: build again when the set of charts would differ.
      if (topic === 'devices' || topic === 'loaded') {
        const want = deviceId ? pointsOf(deviceId).map((p) => p.key).join() : null;
        const have = [...charts.keys()].join();
        if (!deviceId || want !== have) build();
        else el.querySelector('[data-testid="live-device"]')?.replaceWith(picker().querySelector('select'));
      }
    },
    destroy() {
      destroyed = true;
      destroyCharts();
    },
  };
}
