// Tiny DOM helpers for the views: build elements declaratively and show badges that every view shares.
import { t } from './i18n.js';

/**
 * h('div', {class: 'x', dataset: {testid: 'y'}, onclick}, child, ...): children may be strings, nodes, arrays or null.
 * Text always goes in as text nodes so server strings can never inject markup.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'testid') el.dataset.testid = v;
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k in el && typeof v !== 'string') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

/** replaceChildren that also takes nested arrays and nulls, like h(). */
export function setChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function sevBadge(sev) {
  return h('span', { class: `badge sev-${sev}`, testid: 'severity' }, t(`sev.${sev}`));
}

export function alarmStatusBadge(status) {
  const cls = status?.startsWith('ACTIVE') ? (status.endsWith('UNACK') ? 'st-active-unack' : 'st-active-ack') : 'st-cleared';
  return h('span', { class: `badge ${cls}`, testid: 'alarm-status', dataset: { status } }, t(`alarmStatus.${status}`));
}

export function ticketStatusBadge(status) {
  return h('span', { class: `badge tst-${status}`, testid: 'ticket-status', dataset: { status } }, t(`ticketStatus.${status}`));
}

export function deviceStatusDot(status) {
  const s = status === 'online' || status === 'offline' ? status : 'unknown';
  return h('span', { class: `dot dot-${s}`, title: t(`device.${s}`) });
}

/** A field list of label/value pairs, used by the detail panels. */
export function fields(pairs) {
  return h(
    'dl',
    { class: 'fields' },
    pairs.filter(Boolean).map(([label, value, testid]) => [h('dt', null, label), h('dd', { testid }, value)]),
  );
}

/**
 * A list page's head: its title, a two-way filter (e.g. active / all) and how many rows show.
 * filters: [{ href, label, active, testid }]
 */
export function listHead(title, filters, count) {
  return h(
    'div',
    { class: 'view-head' },
    h('h1', null, title),
    h('div', { class: 'segmented', role: 'group' }, filters.map((f) => h('a', { href: f.href, class: f.active ? 'active' : '', testid: f.testid }, f.label))),
    h('span', { class: 'muted small' }, t('common.count', { n: count })),
  );
}

/** A row table: headers are labels or [label, attrs]; rows are <tr> nodes. */
export function rowTable(testid, headers, rows) {
  return h(
    'table',
    { class: 'table table-rows', testid },
    h('thead', null, h('tr', null, headers.map((hd) => (Array.isArray(hd) ? h('th', hd[1], hd[0]) : h('th', null, hd))))),
    h('tbody', null, rows),
  );
}
