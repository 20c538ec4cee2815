// Alarm list (active by default, or all) with Ack and Clear, and the alarm detail page; both follow the SSE stream.
import { t, fmtDateTime, fmtRelative, fmtNumber, alarmTypeLabel, tOr } from '../i18n.js';
import { api } from '../api.js';
import { h, setChildren, listHead, rowTable, sevBadge, alarmStatusBadge, fields, ticketStatusBadge } from '../dom.js';
import { ticketTitle } from './tickets.js';
import { state, deviceName, assetName, pointDef, upsertAlarm, loadAlarms, loadTickets } from '../store.js';

const canAck = (a) => a.status.endsWith('_UNACK');
const canClear = (a) => a.status.startsWith('ACTIVE');

async function act(ctx, alarm, what, button) {
  button.disabled = true;
  try {
    const updated = await api(`/alarms/${encodeURIComponent(alarm.id)}/${what}`, { method: 'POST' });
    if (updated?.id) upsertAlarm(updated);
    ctx.toast(t(what === 'ack' ? 'alarm.acked.toast' : 'alarm.cleared.toast'));
  } catch (err) {
    button.disabled = false;
    ctx.fail(err);
  }
}

/** Ack and Clear, enabled only where the alarm's status allows the move. */
function actionButtons(ctx, a) {
  const ack = h('button', { type: 'button', class: 'btn btn-sm', testid: 'alarm-ack', disabled: !canAck(a) }, t('alarms.ack'));
  const clear = h('button', { type: 'button', class: 'btn btn-sm', testid: 'alarm-clear', disabled: !canClear(a) }, t('alarms.clear'));
  ack.addEventListener('click', (ev) => {
    ev.stopPropagation();
    act(ctx, a, 'ack', ack);
  });
  clear.addEventListener('click', (ev) => {
    ev.stopPropagation();
    act(ctx, a, 'clear', clear);
  });
  return h('div', { class: 'actions' }, ack, clear);
}

function originCell(a) {
  return [
    h('a', { href: `#/device/${encodeURIComponent(a.deviceId)}`, onclick: (ev) => ev.stopPropagation() }, deviceName(a.deviceId)),
    a.assetId ? h('span', { class: 'muted' }, ` / ${assetName(a.assetId)}`) : null,
  ];
}

export function alarmsView(ctx, _param, query) {
  const all = query.get('all') === '1';
  const el = h('section', { class: 'view view-alarms', testid: 'alarms' });
  let loading = true;

  let lastSig = '';

  /** Redraws only when what the table shows changed (or force): a redraw under the pointer can swallow a click. */
  function render(force = true) {
    const list = [...state.alarms.values()]
      .filter((a) => all || a.status.startsWith('ACTIVE'))
      .sort((a, b) => b.startTs - a.startTs);
    const sig = `${loading}|${list.map((a) => `${a.id}:${a.status}:${a.severity}`).join()}`;
    if (!force && sig === lastSig) return;
    lastSig = sig;
    setChildren(el,
      listHead(t('alarms.title'), [
        { href: '#/alarms', label: t('common.showActive'), active: !all, testid: 'alarm-filter-active' },
        { href: '#/alarms?all=1', label: t('common.showAll'), active: all, testid: 'alarm-filter-all' },
      ], list.length),
      list.length
        ? rowTable('alarm-table', [t('alarms.severity'), t('alarms.type'), t('alarms.device'), t('alarms.status'), t('alarms.start'), t('alarms.actions')],
              list.map((a) =>
                h(
                  'tr',
                  {
                    testid: 'alarm-row',
                    class: `row-sev-${a.severity} ${a.status.startsWith('ACTIVE') ? '' : 'row-dim'}`,
                    dataset: { alarmId: a.id, status: a.status, type: a.type },
                    onclick: () => ctx.go(`#/alarm/${encodeURIComponent(a.id)}`),
                  },
                  h('td', null, sevBadge(a.severity)),
                  h('td', null, h('a', { href: `#/alarm/${encodeURIComponent(a.id)}`, testid: 'alarm-link' }, alarmTypeLabel(a.type))),
                  h('td', null, originCell(a)),
                  h('td', null, alarmStatusBadge(a.status)),
                  h('td', { class: 'nowrap' }, fmtDateTime(a.startTs), h('span', { class: 'muted small' }, ` · ${fmtRelative(a.startTs)}`)),
                  h('td', null, actionButtons(ctx, a)),
                ),
              ),
            )
        : h('p', { class: 'empty' }, loading ? t('common.loading') : all ? t('alarms.none') : t('alarms.noneActive')),
    );
  }

  render();
  loadAlarms(all)
    .catch(ctx.fail)
    .finally(() => {
      loading = false;
      render();
    });
  return {
    el,
    update(topic) {
      if (topic === 'alarms') render(false);
      else if (topic === 'tick' || topic === 'loaded') render();
    },
  };
}

/** "threshold · bearing_temp > 80 (Major), > 95 (Critical)": what fired, in the operator's language. */
function ruleText(a) {
  const kind = tOr(`ruleKind.${a.ruleKind}`, a.ruleKind ?? t('common.none'));
  const rule = a.details?.rule;
  if (!rule) return kind;
  const parts = [kind];
  if (rule.point) parts.push(pointDef(a.deviceId, rule.point).name ?? rule.point);
  if (rule.kind === 'threshold' && Array.isArray(rule.levels)) {
    parts.push(rule.levels.map((l) => `${l.above != null ? '>' : '<'} ${l.above ?? l.below} (${t(`sev.${l.severity}`)})`).join(', '));
  }
  return parts.join(' · ');
}

/** Detail values in the operator's terms: times as times, numbers formatted, yes/no, nested objects flattened. */
function detailValue(k, v, deviceId) {
  if (v === null || v === undefined) return t('common.none');
  if (k === 'point' && typeof v === 'string') return pointDef(deviceId, v).name ?? v;
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'number') return /Ts$|^ts$/.test(k) ? fmtDateTime(v) : fmtNumber(v);
  if (typeof v === 'object') {
    return Object.entries(v)
      .map(([k2, v2]) => `${tOr(`detail.${k2}`, k2)}: ${detailValue(k2, v2)}`)
      .join(', ');
  }
  return String(v);
}

function detailsList(details, deviceId) {
  // The full rule is in there too (rule, levels): its summary is shown in the Rule field above.
  const entries = Object.entries(details ?? {}).filter(([k]) => k !== 'rule' && k !== 'levels');
  if (!entries.length) return h('p', { class: 'muted' }, t('common.none'));
  return h(
    'dl',
    { class: 'fields fields-compact', testid: 'alarm-details' },
    entries.map(([k, v]) => [h('dt', { title: k }, tOr(`detail.${k}`, k)), h('dd', null, detailValue(k, v, deviceId))]),
  );
}

export function alarmView(ctx, id) {
  const el = h('section', { class: 'view view-alarm', testid: 'alarm-detail', dataset: { alarmId: id } });
  let looked = false;

  let lastSig = '';

  function render(force = true) {
    const a = state.alarms.get(id);
    const tks = [...state.tickets.values()].filter((tk) => tk.alarmId === id);
    const sig = `${looked}|${JSON.stringify(a)}|${tks.map((tk) => `${tk.id}:${tk.status}`).join()}`;
    if (!force && sig === lastSig) return;
    lastSig = sig;
    if (!a) {
      setChildren(el, h('p', { class: looked ? 'error' : 'muted' }, looked ? t('alarm.notFound', { id }) : t('common.loading')));
      return;
    }
    el.dataset.status = a.status;
    const tickets = [...state.tickets.values()].filter((tk) => tk.alarmId === a.id);
    setChildren(el, 
      h(
        'div',
        { class: 'view-head' },
        h('a', { href: '#/alarms', class: 'back' }, '← ', t('nav.alarms')),
        h('h1', null, sevBadge(a.severity), ' ', alarmTypeLabel(a.type)),
        alarmStatusBadge(a.status),
        actionButtons(ctx, a),
      ),
      h(
        'div',
        { class: 'cols' },
        h(
          'div',
          { class: 'panel' },
          fields([
            [t('alarms.severity'), sevBadge(a.severity)],
            [t('alarms.type'), [alarmTypeLabel(a.type), h('span', { class: 'muted small' }, ` (${a.type})`)]],
            [t('alarms.status'), alarmStatusBadge(a.status)],
            [t('alarms.device'), originCell(a)],
            [t('alarm.rule'), ruleText(a)],
            [t('alarms.start'), `${fmtDateTime(a.startTs)} (${fmtRelative(a.startTs)})`],
            [t('alarm.updated'), fmtDateTime(a.updateTs)],
            [t('alarm.acked'), fmtDateTime(a.ackTs)],
            [t('alarm.cleared'), fmtDateTime(a.clearTs)],
          ]),
          h('p', null, h('a', { class: 'btn', href: `#/live/${encodeURIComponent(a.deviceId)}` }, t('device.openCharts'))),
        ),
        h(
          'div',
          { class: 'panel' },
          h('h2', null, t('alarm.details')),
          detailsList(a.details, a.deviceId),
          h('h2', null, t('alarm.tickets')),
          tickets.length
            ? h(
                'ul',
                { class: 'plain-list' },
                tickets.map((tk) => h('li', null, h('a', { href: `#/ticket/${encodeURIComponent(tk.id)}`, title: tk.title }, ticketTitle(tk)), ' ', ticketStatusBadge(tk.status))),
              )
            : h('p', { class: 'muted' }, t('common.none')),
        ),
      ),
    );
  }

  render();
  // Always ask the server: a deep link may point at an alarm no list has shown us, and the status may have moved.
  api(`/alarms/${encodeURIComponent(id)}`)
    .then((a) => a?.id && upsertAlarm(a))
    .catch((err) => err.status !== 404 && ctx.fail(err))
    .finally(() => {
      looked = true;
      render();
    });
  if (!state.tickets.size) loadTickets().catch(ctx.fail);
  return {
    el,
    update(topic) {
      if (topic === 'alarms' || topic === 'tickets') render(false);
      else if (topic === 'tick' || topic === 'loaded') render();
    },
  };
}
