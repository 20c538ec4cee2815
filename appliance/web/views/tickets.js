// Work-order list (open by default, or all) and the work-order page: fields, transitions, evidence chart and timeline.
import { t, fmtDateTime, fmtRelative, alarmTypeLabel, tOr, fmtNumber } from '../i18n.js';
import { api } from '../api.js';
import { h, setChildren, listHead, rowTable, sevBadge, ticketStatusBadge, alarmStatusBadge, fields } from '../dom.js';
import { state, assetName, deviceName, pointDef, upsertTicket, loadTickets, loadAlarms } from '../store.js';
import { makeChart, SEV_COLOR } from '../chart.js';
import { TICKET_PANELS } from './ticket-panels.js';
import { slaCell } from './ticket-sla.js';

/**
 * Work orders opened from an alarm get a generated English title on the server; the alarm type and asset say the
 * same thing and can be translated, so those are shown instead (the server's title stays visible on the detail page).
 */
export function ticketTitle(tk) {
  if (!tk.alarmType) return tk.title;
  return t('ticket.derivedTitle', { type: alarmTypeLabel(tk.alarmType), asset: tk.assetId ? assetName(tk.assetId) : '' }).replace(/^ · | · $/g, '');
}

const OPEN = (tk) => !['closed', 'cancelled'].includes(tk.status);
const shortId = (id) => (String(id).length > 10 ? String(id).slice(-8) : String(id));

export function ticketsView(ctx, _param, query) {
  const all = query.get('all') === '1';
  const el = h('section', { class: 'view view-tickets', testid: 'tickets' });
  let loading = true;
  let lastSig = '';

  function render(force = true) {
    const list = [...state.tickets.values()].filter((tk) => all || OPEN(tk)).sort((a, b) => b.createdTs - a.createdTs);
    const sig = `${loading}|${list.map((tk) => `${tk.id}:${tk.status}:${tk.priority}:${tk.alarmCount}:${tk.updatedTs}:${tk.sla?.response?.state}${tk.sla?.resolution?.state}${tk.sla?.paused}`).join()}`;
    if (!force && sig === lastSig) return;
    lastSig = sig;
    setChildren(el,
      listHead(t('tickets.title'), [
        { href: '#/tickets', label: t('common.showOpen'), active: !all, testid: 'ticket-filter-open' },
        { href: '#/tickets?all=1', label: t('common.showAll'), active: all, testid: 'ticket-filter-all' },
      ], list.length),
      list.length
        ? rowTable('ticket-table', [
            t('tickets.id'), t('tickets.titleCol'), t('tickets.priority'), t('tickets.status'), t('sla.col'), t('tickets.asset'),
            [t('tickets.alarms'), { class: 'num' }], t('tickets.created'), t('tickets.updated'),
          ],
              list.map((tk) =>
                h(
                  'tr',
                  {
                    testid: 'ticket-row',
                    class: OPEN(tk) ? '' : 'row-dim',
                    dataset: { ticketId: tk.id, status: tk.status, alarmId: tk.alarmId ?? '', alarmType: tk.alarmType ?? '' },
                    onclick: () => ctx.go(`#/ticket/${encodeURIComponent(tk.id)}`),
                  },
                  h('td', null, h('code', { title: tk.id }, shortId(tk.id))),
                  h('td', null, h('a', { href: `#/ticket/${encodeURIComponent(tk.id)}`, testid: 'ticket-link', title: tk.title }, ticketTitle(tk))),
                  h('td', null, sevBadge(tk.priority)),
                  h('td', null, ticketStatusBadge(tk.status)),
                  slaCell(tk),
                  h('td', null, tk.assetId ? assetName(tk.assetId) : t('common.none')),
                  h('td', { class: 'num' }, String(tk.alarmCount ?? 1)),
                  h('td', { class: 'nowrap' }, fmtDateTime(tk.createdTs)),
                  h('td', { class: 'nowrap muted' }, fmtRelative(tk.updatedTs)),
                ),
              ),
            )
        : h('p', { class: 'empty' }, loading ? t('common.loading') : all ? t('tickets.none') : t('tickets.noneOpen')),
    );
  }

  render();
  loadTickets(all)
    .catch(ctx.fail)
    .finally(() => {
      loading = false;
      render();
    });
  return {
    el,
    update(topic) {
      if (topic === 'tickets') render(false);
      else if (topic === 'tick' || topic === 'loaded' || topic === 'overview') render(topic !== 'overview');
    },
  };
}

function eventLine(ev) {
  const kind = tOr(`event.${ev.kind}`, ev.kind);
  const move =
    ev.from || ev.to
      ? h('span', { class: 'move' }, ev.from ? ticketStatusBadge(ev.from) : null, ev.from && ev.to ? ' → ' : null, ev.to ? ticketStatusBadge(ev.to) : null)
      : null;
  return h(
    'li',
    { testid: 'ticket-event', dataset: { kind: ev.kind } },
    h('time', { class: 'tl-time', title: fmtDateTime(ev.ts) }, fmtDateTime(ev.ts)),
    h(
      'div',
      { class: 'tl-body' },
      h('div', null, h('strong', null, kind), ' ', move, ev.actor ? h('span', { class: 'muted small' }, ` · ${t('event.by', { actor: ev.actor })}`) : null),
      ev.note ? h('div', { class: 'tl-note' }, ev.note) : null,
    ),
  );
}

export function ticketView(ctx, id) {
  const el = h('section', { class: 'view view-ticket', testid: 'ticket-detail', dataset: { ticketId: id } });
  let detail = null;
  let error = null;
  let plots = [];
  let resizeObs = null;
  // The forecast chart has its own plot and observer: the evidence charts are redrawn on their own schedule.
  let fcPlot = null;
  let fcResize = null;
  let reloadTimer = null;
  let destroyed = false;
  let noteDraft = '';

  async function load() {
    try {
      detail = await api(`/tickets/${encodeURIComponent(id)}`);
      error = null;
      if (detail?.ticket) state.tickets.set(detail.ticket.id, detail.ticket);
    } catch (err) {
      error = err;
      if (err.status !== 404) ctx.fail(err);
    }
    if (!destroyed) render();
  }

  function alarmOf() {
    const tk = detail?.ticket;
    if (!tk?.alarmId) return null;
    return state.alarms.get(tk.alarmId) ?? detail.evidence?.alarm ?? null;
  }

  async function move(to, button) {
    for (const b of el.querySelectorAll('[data-testid="ticket-transition"]')) b.disabled = true;
    try {
      const body = noteDraft.trim() ? { to, note: noteDraft.trim() } : { to };
      const tk = await api(`/tickets/${encodeURIComponent(id)}/transition`, { method: 'POST', body });
      noteDraft = '';
      if (tk?.id) upsertTicket(tk);
      ctx.toast(t('ticket.moved', { status: t(`ticketStatus.${to}`) }));
      await load();
    } catch (err) {
      ctx.fail(err);
      for (const b of el.querySelectorAll('[data-testid="ticket-transition"]')) b.disabled = false;
      button.focus();
    }
  }

  function alarmBlock(tk) {
    const a = alarmOf();
    if (!tk.alarmId) return t('common.none');
    return h(
      'span',
      { class: 'alarm-inline' },
      a ? sevBadge(a.severity) : null,
      ' ',
      h('a', { href: `#/alarm/${encodeURIComponent(tk.alarmId)}`, testid: 'ticket-alarm-link' }, a ? alarmTypeLabel(a.type) : tk.alarmId),
      ' ',
      a ? alarmStatusBadge(a.status) : null,
    );
  }

  /**
   * A preventive work order's forecast: the samples the trend was fitted on, the trend and its 95% band carried
   * out to the predicted crossing, the limit, and markers for when the forecast was made and the crossing.
   */
  function forecastPanel() {
    const fc = detail.evidence?.forecast;
    if (!fc?.trend?.ts?.length) return null;
    const devId = detail.evidence.series?.[0]?.deviceId;
    const unit = devId ? pointDef(devId, fc.point).unit : undefined;
    const box = h('div', { class: 'chart-box', testid: 'forecast-chart' });
    const fmtTs = (ts) => (ts == null ? '—' : fmtDateTime(ts));
    const panel = h(
      'div',
      { class: 'panel', testid: 'forecast' },
      h('h2', null, t('ticket.forecast')),
      h('p', { class: 'small', testid: 'forecast-summary' }, t('ticket.forecastSummary', {
        slope: `${fc.slopePerHour >= 0 ? '+' : ''}${fmtNumber(fc.slopePerHour)}${unit ? ` ${unit}` : ''}`,
        limit: `${fmtNumber(fc.limit)}${unit ? ` ${unit}` : ''}`, central: fmtTs(fc.predictedTs), early: fmtTs(fc.earlyTs), late: fmtTs(fc.lateTs),
      })),
      box,
    );
    // One time axis for both: the samples' and the trend's timestamps merged, each series null where it has no value.
    const xs = [...new Set([...fc.series.ts, ...fc.trend.ts])].sort((a, b) => a - b);
    const col = (ts, vals) => { const m = new Map(ts.map((x, i) => [x, vals[i]])); return xs.map((x) => m.get(x) ?? null); };
    const data = [xs, col(fc.series.ts, fc.series.values), col(fc.trend.ts, fc.trend.mid), col(fc.trend.ts, fc.trend.lo), col(fc.trend.ts, fc.trend.hi)];
    const markers = [{ ts: fc.ts, color: '#546e7a', label: t('chart.fitted') }];
    if (fc.predictedTs != null) markers.push({ ts: fc.predictedTs, color: '#c62828', label: t('chart.crossing') });
    const lines = [{ value: fc.limit, color: SEV_COLOR.MAJOR, label: t('chart.limit', { value: fmtNumber(fc.limit) }) }];
    requestAnimationFrame(() => {
      if (destroyed || !panel.isConnected) return;
      fcPlot?.destroy();
      fcResize?.disconnect();
      const width = () => Math.max(300, box.clientWidth - 2);
      const plot = makeChart(box, {
        series: [
          { label: t('chart.readings'), unit, color: '#1565c0', spanGaps: true, points: true, width: 0 },
          { label: t('chart.trend'), color: '#00897b', spanGaps: true, width: 2 },
          { label: t('chart.bandLow'), color: '#80cbc4', spanGaps: true, dash: [4, 4] },
          { label: t('chart.bandHigh'), color: '#80cbc4', spanGaps: true, dash: [4, 4] },
        ],
        data, width: width(), height: 220, markers: () => markers, lines: () => lines,
      });
      fcPlot = plot;
      fcResize = new ResizeObserver(() => { if (Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: 220 }); });
      fcResize.observe(box);
    });
    return panel;
  }

  /** A scheduled work order: why it fell due and the counters then. */
  function schedulePanel() {
    const ev = detail.evidence;
    if (ev?.kind !== 'schedule') return null;
    const c = ev.counters ?? {};
    return h(
      'div',
      { class: 'panel', testid: 'schedule' },
      h('h2', null, t('ticket.schedule')),
      h('p', null, t('ticket.scheduleReasons', { reasons: (ev.reasons ?? []).join(', ') })),
      h('p', { class: 'muted small' }, t('ticket.counters', { runH: fmtNumber(c.runH ?? 0), starts: fmtNumber(c.starts ?? 0), cycles: fmtNumber(c.cycles ?? 0) })),
    );
  }

  /** One chart per series: the rule's point first and taller, the device's other points below (units differ, so no shared axis). */
  function evidencePanel() {
    const ev = detail.evidence;
    if (ev?.kind === 'schedule') return schedulePanel();
    const series = (ev?.series ?? []).filter((s) => s.ts?.length);
    const panel = h(
      'div',
      { class: 'panel', testid: 'evidence' },
      h(
        'h2',
        null,
        t('ticket.evidence'),
        ev?.window ? h('span', { class: 'muted small' }, `  ${t('ticket.window', { from: fmtDateTime(ev.window.from), to: fmtDateTime(ev.window.to) })}`) : null,
      ),
    );
    if (!series.length) {
      panel.append(h('p', { class: 'muted' }, t('ticket.noEvidence')));
      return panel;
    }
    const alarm = ev.alarm ?? alarmOf();
    const startTs = alarm?.startTs;
    const rule = ev.rule;
    const boxes = series.map((s, i) => {
      const def = pointDef(s.deviceId, s.point);
      const box = h('div', { class: 'chart-box', testid: 'evidence-chart', dataset: { point: s.point } });
      panel.append(h('div', { class: 'evidence-item' }, h('div', { class: 'chart-head' }, h('strong', null, `${deviceName(s.deviceId)} / ${def.name ?? s.point}`), def.unit ? h('span', { class: 'muted' }, ` ${def.unit}`) : null), box));
      const lines = [];
      // The rule's limits belong on the chart of the rule's own point only.
      if (rule?.kind === 'threshold' && s.point === rule.point) {
        for (const lvl of rule.levels ?? []) {
          const v = lvl.above ?? lvl.below;
          if (v != null) lines.push({ value: v, color: SEV_COLOR[lvl.severity] ?? '#888', label: `${t(`sev.${lvl.severity}`)} ${lvl.above != null ? '>' : '<'} ${fmtNumber(v)}` });
        }
      }
      return { box, s, def, lines, height: i === 0 ? 200 : 130 };
    });
    // The window reaches back before the box had data (a young box, a new device): show the part that holds readings.
    const firstTs = Math.min(...series.map((s) => s.ts[0]));
    const xRange = ev.window ? [Math.max(ev.window.from, firstTs), Math.max(ev.window.to, startTs ?? 0)] : null;
    requestAnimationFrame(() => {
      if (destroyed || !panel.isConnected) return;
      for (const p of plots) p.destroy();
      plots = [];
      resizeObs?.disconnect();
      const width = (box) => Math.max(300, box.clientWidth - 2);
      for (const b of boxes) {
        const plot = makeChart(b.box, {
          series: [{ label: b.def.name ?? b.s.point, unit: b.def.unit, color: b === boxes[0] ? '#1565c0' : '#546e7a' }],
          data: [b.s.ts, b.s.values],
          width: width(b.box),
          height: b.height,
          xRange: xRange ? () => xRange : undefined,
          markers: () => (startTs ? [{ ts: startTs, color: '#c62828', label: t('ticket.alarmStart') }] : []),
          lines: () => b.lines,
        });
        plot.__box = b;
        plots.push(plot);
      }
      resizeObs = new ResizeObserver(() => {
        for (const p of plots) if (Math.abs(p.width - width(p.__box.box)) > 1) p.setSize({ width: width(p.__box.box), height: p.__box.height });
      });
      for (const b of boxes) resizeObs.observe(b.box);
    });
    return panel;
  }

  function render() {
    for (const p of plots) p.destroy();
    plots = [];
    resizeObs?.disconnect();
    fcPlot?.destroy();
    fcPlot = null;
    fcResize?.disconnect();
    if (!detail) {
      setChildren(el, 
        h('p', { class: error ? 'error' : 'muted' }, error ? (error.status === 404 ? t('ticket.notFound', { id }) : t('common.error', { message: error.message })) : t('common.loading')),
      );
      return;
    }
    const tk = detail.ticket;
    el.dataset.status = tk.status;
    // Giving a job to someone is the dispatch panel's picker (who, and why in the trail), not a bare status button.
    const moves = (detail.moves ?? []).filter((to) => to !== 'assigned');
    const note = h('input', { type: 'text', class: 'input', testid: 'ticket-note', placeholder: t('ticket.note'), value: noteDraft });
    note.addEventListener('input', () => (noteDraft = note.value));
    const events = [...(detail.events ?? [])].sort((a, b) => a.ts - b.ts);

    setChildren(el, 
      h(
        'div',
        { class: 'view-head' },
        h('a', { href: '#/tickets', class: 'back' }, '← ', t('nav.tickets')),
        h('h1', { testid: 'ticket-title' }, ticketTitle(tk)),
        sevBadge(tk.priority),
        ticketStatusBadge(tk.status),
      ),
      h(
        'div',
        { class: 'cols cols-ticket' },
        h(
          'div',
          { class: 'stack' },
          h(
            'div',
            { class: 'panel' },
            fields([
              [t('tickets.id'), h('code', null, tk.id)],
              [t('ticket.serverTitle'), tk.title],
              [t('tickets.status'), ticketStatusBadge(tk.status)],
              [t('tickets.priority'), sevBadge(tk.priority)],
              [t('tickets.asset'), tk.assetId ? assetName(tk.assetId) : t('common.none')],
              [t('ticket.category'), t(`trade.${tk.category ?? 'general'}`)],
              [t('ticket.source'), t(`source.${tk.source ?? 'alarm'}`)],
              [t('ticket.assignee'), h('span', { testid: 'ticket-assignee' }, tk.assignee ?? t('common.none'))],
              [t('ticket.alarmType'), tk.alarmType ? alarmTypeLabel(tk.alarmType) : t('common.none')],
              [t('ticket.alarm'), alarmBlock(tk)],
              [t('tickets.alarms'), String(tk.alarmCount ?? 1)],
              ...(tk.predictedTs != null
                ? [[t(detail.evidence?.kind === 'schedule' ? 'ticket.due' : 'ticket.predicted'), h('span', { testid: 'ticket-predicted', dataset: { ts: String(tk.predictedTs) } }, `${fmtDateTime(tk.predictedTs)} (${fmtRelative(tk.predictedTs)})`)]]
                : []),
              [t('tickets.created'), `${fmtDateTime(tk.createdTs)} (${fmtRelative(tk.createdTs)})`],
              [t('tickets.updated'), `${fmtDateTime(tk.updatedTs)} (${fmtRelative(tk.updatedTs)})`],
            ]),
          ),
          h(
            'div',
            { class: 'panel', testid: 'ticket-actions' },
            h('h2', null, t('ticket.actions')),
            moves.length
              ? [
                  note,
                  h(
                    'div',
                    { class: 'actions' },
                    moves.map((to) => {
                      const b = h(
                        'button',
                        { type: 'button', class: `btn ${to === 'cancelled' ? 'btn-danger-ghost' : 'btn-primary'}`, testid: 'ticket-transition', dataset: { to } },
                        // Verbs on the buttons, not status names: "Resolve" says what a click does.
                        t(tk.status === 'resolved' && to === 'in_progress' ? 'ticketAction.reopen' : `ticketAction.${to}`),
                      );
                      b.addEventListener('click', () => move(to, b));
                      return b;
                    }),
                  ),
                ]
              : h('p', { class: 'muted' }, t('ticket.noActions')),
          ),
        ),
        h(
          'div',
          { class: 'stack' },
          forecastPanel(),
          evidencePanel(),
          TICKET_PANELS.map((panel) => panel(ctx, detail, load)),
          h('div', { class: 'panel' }, h('h2', null, t('ticket.timeline')), h('ol', { class: 'timeline', testid: 'ticket-timeline' }, events.map(eventLine))),
        ),
      ),
    );
  }

  render();
  load();
  if (!state.alarms.size) loadAlarms().catch(ctx.fail);
  return {
    el,
    update(topic, payloads) {
      if (topic === 'tickets' && payloads.some((tk) => tk.id === id)) {
        // The events list only comes with the detail route: fetch it again, once per burst.
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(load, 300);
      } else if (topic === 'alarms' && detail?.ticket?.alarmId && payloads.some((a) => a.id === detail.ticket.alarmId)) {
        // Only the alarm line changes: patch it so the chart and a half-typed note survive.
        const cell = el.querySelector('.alarm-inline');
        cell?.replaceWith(alarmBlock(detail.ticket));
      } else if (topic === 'loaded' && detail) {
        render(); // asset and device names arrived after the first draw
      }
    },
    destroy() {
      destroyed = true;
      clearTimeout(reloadTimer);
      for (const p of plots) p.destroy();
      resizeObs?.disconnect();
      fcPlot?.destroy();
      fcResize?.disconnect();
    },
  };
}
