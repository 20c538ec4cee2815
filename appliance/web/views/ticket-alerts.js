// Work-order panel: who was told about this job, when, on which channels (sent, retrying, failed) and whether they acked.
import { t, fmtDateTime, fmtRelative } from '../i18n.js';
import { api } from '../api.js';
import { h, setChildren, rowTable } from '../dom.js';

const STATUS_CLASS = { sent: 'ok', pending: 'offline', failed: 'alarm', cancelled: 'offline' };

function reasonText(a) {
  return a.reason === 'escalated' ? t('notify.reason.escalated', { level: a.level ?? 1 }) : t(`notify.reason.${a.reason}`);
}

function channelChips(a) {
  return a.deliveries.map((d) => h(
    'span',
    { class: `chip chip-${STATUS_CLASS[d.status] ?? 'offline'}`, style: { marginRight: '4px', display: 'inline-block' }, title: [t(`notify.status.${d.status}`), d.attempts ? t('notify.attempts', { n: d.attempts }) : '', d.detail ?? ''].filter(Boolean).join(' · '), dataset: { channel: d.channel, status: d.status } },
    t(`notify.channel.${d.channel}`) + (d.target.startsWith('group:') ? ` (${t('notify.group')})` : ''),
    ' ', d.status === 'sent' ? '✓' : d.status === 'failed' ? '✗' : d.status === 'pending' ? '…' : '–',
  ));
}

export function alertsPanel(ctx, detail) {
  const body = h('div', null, h('p', { class: 'muted' }, t('notify.loading')));
  const panel = h('div', { class: 'panel', testid: 'ticket-alerts' }, h('h2', null, t('notify.title')), body);
  api(`/tickets/${encodeURIComponent(detail.ticket.id)}/alerts`).then((alerts) => {
    if (!alerts.length) { setChildren(body, h('p', { class: 'muted' }, t('notify.none'))); return; }
    const names = new Map((ctx.engineers ?? []).map((e) => [e.id, e.name]));
    setChildren(body, rowTable('ticket-alerts-table', [t('notify.col.who'), t('notify.col.why'), t('notify.col.when'), t('notify.col.channels'), t('notify.col.ack')], alerts.map((a) => h(
      'tr',
      { dataset: { alert: a.id, acked: a.ackedTs ? 'true' : 'false' } },
      h('td', null, names.get(a.engineerId) ?? a.engineerId),
      h('td', null, reasonText(a)),
      h('td', { title: fmtDateTime(a.createdTs) }, fmtRelative(a.createdTs)),
      h('td', { class: 'chips' }, channelChips(a)),
      h('td', { testid: 'alert-ack' }, a.ackedTs ? t('notify.ackedAt', { at: fmtDateTime(a.ackedTs) })
        : h('span', a.ackDueTs < Date.now() ? { style: { color: 'var(--critical)' } } : { class: 'muted' }, t('notify.ackDue', { at: fmtDateTime(a.ackDueTs) }))),
    ))));
    // Names come from the roster; fetched once per page, after the table is up.
    if (!ctx.engineers) {
      api('/engineers').then((list) => {
        ctx.engineers = list;
        for (const tr of body.querySelectorAll('tr[data-alert]')) {
          const a = alerts.find((x) => x.id === tr.dataset.alert);
          const e = list.find((x) => x.id === a?.engineerId);
          if (e) tr.firstChild.textContent = e.name;
        }
      }).catch(() => {});
    }
  }).catch((err) => setChildren(body, h('p', { style: { color: 'var(--critical)' } }, err.message)));
  return panel;
}
