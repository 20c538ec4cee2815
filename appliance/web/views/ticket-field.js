// Work-order panel: the engineer's field work from the app (check-in, checklist with values, photos, parts, sign-off).
import { t, getLang, fmtDateTime, fmtNumber } from '../i18n.js';
import { h, setChildren } from '../dom.js';
import { api } from '../api.js';

function stepLine(s) {
  const p = s.progress;
  return h('li', { dataset: { done: String(!!p?.done) } },
    h('span', { class: p?.done ? 'ok' : 'muted' }, p?.done ? '✓ ' : '○ '),
    getLang() === 'zh-CN' ? s.zh : s.en,
    p?.value !== null && p?.value !== undefined ? h('span', { class: 'muted' }, ` · ${t('eng.panel.value', { value: fmtNumber(p.value) })}${s.live?.unit ? ` ${s.live.unit}` : ''}`) : null,
    p?.note ? h('span', { class: 'muted' }, ` · ${p.note}`) : null);
}

// The work-order page redraws on every live update: the last copy is drawn at once while a fresh one loads,
// so the panel does not flicker back to "Loading…" each time.
const last = new Map();

export function fieldPanel(_ctx, detail) {
  const tk = detail.ticket;
  if (!tk.assignee && !['resolved', 'verifying', 'closed'].includes(tk.status)) return null;
  const body = h('div', null, h('p', { class: 'muted' }, t('common.loading')));
  const panel = h('div', { class: 'panel', testid: 'ticket-field' }, h('h2', null, t('eng.panel.title')), body);
  if (last.has(tk.id)) draw(body, tk, last.get(tk.id));
  api(`/tickets/${encodeURIComponent(tk.id)}/job`).then((j) => {
    last.set(tk.id, j);
    draw(body, tk, j);
  }).catch((e) => setChildren(body, h('p', { class: 'muted' }, t('common.error', { message: e.message }))));
  return panel;
}

function draw(body, tk, j) {
    const done = j.steps.filter((s) => s.progress?.done).length;
    setChildren(body,
      h('p', { testid: 'field-checkin' }, j.checkinTs ? `${t('eng.panel.checkin')} ${fmtDateTime(j.checkinTs)}` : t('eng.panel.notCheckedIn')),
      j.steps.length ? [h('h3', null, t('eng.panel.steps', { done, total: j.steps.length })), h('ul', { class: 'plain', testid: 'field-steps' }, j.steps.map(stepLine))] : null,
      j.photos.length ? [h('h3', null, t('eng.panel.photos')), h('div', { class: 'photo-strip', testid: 'field-photos' }, j.photos.map((p) =>
        h('a', { href: `/api/v1/photos/${p.id}`, target: '_blank', rel: 'noopener' }, h('img', { src: `/api/v1/photos/${p.id}`, alt: fmtDateTime(p.ts), loading: 'lazy', style: { width: '96px', height: '96px', objectFit: 'cover', borderRadius: '4px', marginRight: '6px' } }))))] : null,
      j.signoff ? [h('h3', null, t('eng.panel.signoff')), h('div', { testid: 'field-signoff' },
        h('p', null, j.signoff.notes || t('common.none')),
        j.signoff.partsUsed.length ? h('p', null, `${t('eng.panel.parts')}: `, j.signoff.partsUsed.map((p) => `${p.sku} × ${p.qty}`).join(', ')) : null,
        h('p', { class: 'muted' }, `${j.signoff.signature.name} · ${fmtDateTime(j.signoff.ts)}`),
        j.signoff.signature.png ? h('img', { src: j.signoff.signature.png, alt: j.signoff.signature.name, style: { maxWidth: '240px', border: '1px solid #d7dbe0' } }) : null)] : null,
      tk.assetId ? h('p', null, h('a', { href: `/labels.html?asset=${encodeURIComponent(tk.assetId)}`, target: '_blank' }, t('eng.labels.title'))) : null);
}
