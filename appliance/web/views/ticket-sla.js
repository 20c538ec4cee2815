// Work-order panel: the SLA clocks (deadline, share used, paused, warning/breached) and the escalation steps taken.
import { t, fmtDateTime, fmtRelative } from '../i18n.js';
import { h } from '../dom.js';

const COLOR = { ok: 'var(--ok)', warning: 'var(--major)', breached: 'var(--critical)' };

function minutes(m) {
  if (m < 120) return t('sla.mins', { n: Math.round(m) });
  if (m < 2880) return t('sla.hours', { n: Math.round((m / 60) * 10) / 10 });
  return t('sla.days', { n: Math.round((m / 1440) * 10) / 10 });
}

function clockRow(name, c) {
  const color = c.paused ? 'var(--muted, #777)' : COLOR[c.state];
  const pct = Math.max(0, Math.min(100, c.usedPct));
  const due = Number.isFinite(c.dueTs) && c.dueTs !== null ? fmtDateTime(c.dueTs) : t('sla.never');
  return h(
    'div',
    { class: 'sla-clock', testid: 'sla-clock', dataset: { clock: name, state: c.state, paused: String(c.paused) }, style: { margin: '6px 0 10px' } },
    h('div', null,
      h('strong', null, t(`sla.clock.${name}`)), ' ',
      h('span', { class: 'badge', style: { background: color, color: '#fff' }, testid: 'sla-state' }, c.paused ? t('sla.paused') : t(`sla.state.${c.state}`)),
      c.stopped ? h('span', { class: 'muted small' }, ` · ${t(name === 'response' ? 'sla.answered' : 'sla.stopped', { ts: c.stoppedTs ? fmtDateTime(c.stoppedTs) : '' })}`) : null,
    ),
    h('div', { style: { background: 'var(--line, #ddd)', borderRadius: '4px', height: '8px', margin: '4px 0', overflow: 'hidden' }, title: `${c.usedPct}%` },
      h('div', { style: { width: `${pct}%`, height: '100%', background: color } })),
    h('div', { class: 'small' },
      h('span', { testid: 'sla-due' }, t(c.state === 'breached' ? 'sla.wasDue' : 'sla.due', { ts: due })),
      ' · ', t('sla.used', { pct: c.usedPct, used: minutes(c.usedMins), allowed: minutes(c.allowedMins) }),
      c.overdueMins > 0 ? h('span', { class: 'error' }, ` · ${t('sla.overdue', { by: minutes(c.overdueMins) })}`) : null,
    ),
  );
}

function stepLine(s) {
  const role = t(`sla.role.${s.target?.role ?? 'engineer'}`);
  const who = s.target?.engineerId ? `${s.name ?? s.target.engineerId} (${role})` : role;
  return h('li', { testid: 'sla-step', dataset: { level: String(s.level), reason: s.reason } },
    h('time', { class: 'muted small' }, fmtDateTime(s.ts)), ' ',
    h('strong', null, t('sla.level', { n: s.level })), ' · ', t(`sla.reason.${s.reason}`), ' → ', who);
}

export function slaPanel(_ctx, detail) {
  const sla = detail.sla;
  if (!sla) return null;
  const p = sla.policy;
  const esc = sla.escalation;
  return h(
    'div',
    { class: 'panel', testid: 'ticket-sla', dataset: { breached: String(sla.breached), level: String(esc.level) } },
    h('h2', null, t('sla.title')),
    h('div', { class: 'muted small' }, t('sla.policy', { respond: minutes(p.responseMins), resolve: minutes(p.resolveMins), calendar: t(`sla.calendar.${p.calendar}`) })),
    clockRow('response', sla.response),
    clockRow('resolution', sla.resolution),
    h('h3', null, t('sla.escalation')),
    esc.steps.length ? h('ol', { class: 'plain', testid: 'sla-steps' }, esc.steps.map(stepLine)) : h('p', { class: 'muted small' }, t('sla.noSteps')),
    esc.next && !esc.held ? h('p', { class: 'small', testid: 'sla-next' }, t('sla.next', { n: esc.next.level, role: t(`sla.role.${esc.next.role}`), ts: fmtDateTime(esc.next.dueTs) })) : null,
    esc.held ? h('p', { class: 'small muted' }, t('sla.held')) : null,
  );
}

/** The ticket list's cell: the clock that still runs (response first), its state in colour and when it is due. */
export function slaCell(tk) {
  const s = tk.sla;
  if (!s) return h('td', { class: 'muted' }, t('common.none'));
  const name = !s.response.stopped ? 'response' : !s.resolution.stopped ? 'resolution' : null;
  if (!name) {
    return h('td', { class: 'small', testid: 'ticket-sla-cell', dataset: { slaState: s.breached ? 'breached' : 'met' } },
      h('span', { style: { color: s.breached ? COLOR.breached : COLOR.ok } }, t(s.breached ? 'sla.state.breached' : 'sla.met')));
  }
  const c = s[name];
  const color = s.paused ? 'var(--muted, #777)' : COLOR[c.state];
  return h('td', { class: 'nowrap small', testid: 'ticket-sla-cell', dataset: { slaState: c.state, slaClock: name, paused: String(s.paused) }, title: fmtDateTime(c.dueTs) },
    h('span', { style: { color, fontWeight: c.state === 'ok' ? 'normal' : '600' } },
      s.paused ? t('sla.paused') : `${t(`sla.clock.${name}`)} ${fmtRelative(c.dueTs)}`));
}
