// Work-order panel "Why this engineer": each factor's share of the dispatch decision, the runners-up, the part held,
// and the operator's override picker fed by the ranked candidate list.
import { t, fmtNumber } from '../i18n.js';
import { api } from '../api.js';
import { h, setChildren } from '../dom.js';

const FACTORS = ['skill', 'travel', 'load', 'sla', 'criticality', 'parts'];
const OPEN = ['new', 'assigned', 'accepted', 'en_route', 'in_progress', 'waiting_parts', 'waiting_customer', 'resolved', 'verifying'];

function pct(x) {
  return `${Math.round((x ?? 0) * 100)}%`;
}

/** The factor table of one decision: share bar, value and the plain-words detail. */
function factorTable(why) {
  return h('table', { class: 'table', testid: 'dispatch-factors' },
    h('thead', null, h('tr', null, h('th', null, t('dispatch.factor')), h('th', null, t('dispatch.share')), h('th', null, t('dispatch.detail')))),
    h('tbody', null, FACTORS.filter((f) => why.factors?.[f]).map((f) => {
      const x = why.factors[f];
      return h('tr', { dataset: { factor: f, share: String(x.share) } },
        h('td', null, t(`dispatch.f.${f}`)),
        h('td', null, h('span', { class: 'share-bar', style: { display: 'inline-block', width: `${Math.round(x.share * 80)}px`, height: '8px', background: 'var(--accent, #3b82f6)', marginRight: '6px', verticalAlign: 'middle' } }), pct(x.share)),
        h('td', { class: 'muted' }, x.detail));
    })));
}

function lastAssignment(detail) {
  return [...(detail.events ?? [])].reverse().find((e) => e.kind === 'assigned') ?? null;
}

export function dispatchPanel(ctx, detail, reload) {
  const tk = detail.ticket;
  const ev = lastAssignment(detail);
  const none = [...(detail.events ?? [])].reverse().find((e) => e.kind === 'dispatch_none');
  const why = ev?.data?.why;
  const body = [];
  if (ev && why && why.factors) {
    body.push(h('p', { testid: 'dispatch-summary' }, t('dispatch.chosen', { name: why.name ?? ev.data.engineerId, total: fmtNumber(why.total), by: t(`dispatch.by.${ev.actor === 'escalation' ? 'escalation' : 'dispatch'}`) })));
    body.push(factorTable(why));
    if (why.part) body.push(h('p', { class: 'muted', testid: 'dispatch-part' }, t('dispatch.part', { part: why.part.name ?? why.part.sku, from: why.part.from?.storeId ?? t('dispatch.none') })));
    if (why.runnersUp?.length) body.push(h('p', { class: 'muted' }, t('dispatch.runnersUp'), ' ', why.runnersUp.map((r) => `${r.name} (${fmtNumber(r.total)})`).join(', ')));
  } else if (ev) {
    body.push(h('p', { testid: 'dispatch-summary' }, t('dispatch.override', { who: ev.actor, name: ev.data?.engineerId ?? '' }), ev.data?.why?.reason ? ` — ${ev.data.why.reason}` : ''));
  } else if (none && !tk.assignee) {
    body.push(h('p', { testid: 'dispatch-summary' }, t('dispatch.nobody')));
    body.push(h('ul', { class: 'plain-list muted' }, (none.data?.excluded ?? []).map((x) => h('li', null, `${x.name}: ${x.reasons.map(reasonText).join(', ')}`))));
  }

  // The override picker: filled from the ranked list (operators and admins only; the route says no to others).
  const picker = h('div', { testid: 'dispatch-override' });
  if (OPEN.includes(tk.status)) {
    api(`/tickets/${encodeURIComponent(tk.id)}/candidates`).then((list) => {
      const select = h('select', { testid: 'dispatch-pick', class: 'input' },
        list.ranked.map((c) => h('option', { value: c.engineerId, selected: c.engineerId === tk.assignee }, `${c.name} · ${fmtNumber(c.total)}`)),
        list.excluded.map((x) => h('option', { value: x.engineerId, selected: x.engineerId === tk.assignee }, `${x.name} · ${x.reasons.map(reasonText).join(', ')}`)));
      const reason = h('input', { class: 'input', testid: 'dispatch-reason', placeholder: t('dispatch.reason'), maxLength: 500 });
      const go = h('button', { type: 'button', class: 'btn btn-primary', testid: 'dispatch-assign' }, t('dispatch.assign'));
      go.addEventListener('click', async () => {
        go.disabled = true;
        try {
          await api(`/tickets/${encodeURIComponent(tk.id)}/assign`, { method: 'POST', body: { engineerId: select.value, ...(reason.value ? { reason: reason.value } : {}) } });
          reload();
        } catch (err) {
          ctx.fail(err);
        } finally {
          go.disabled = false;
        }
      });
      setChildren(picker, h('h3', null, t('dispatch.overrideTitle')), h('div', { class: 'actions' }, select, reason, go));
    }).catch(() => { /* not staff, or dispatch absent: no picker */ });
  }
  if (!body.length && !OPEN.includes(tk.status)) return null;
  return h('div', { class: 'panel', testid: 'ticket-dispatch' }, h('h2', null, t('dispatch.title')), body, picker);
}

function reasonText(r) {
  const [kind, arg] = String(r).split(':');
  return t(`dispatch.why.${kind}`, { arg: arg ?? '' });
}
