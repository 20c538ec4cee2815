// Work-order panel: the box's verification of the fix from live data (watching, verified, or reopened and why).
import { t, fmtDateTime, fmtNumber } from '../i18n.js';
import { h } from '../dom.js';

function bandText(band) {
  if (!band) return t('verify.noBand');
  const parts = [];
  if (band.min !== undefined) parts.push(`≥ ${fmtNumber(band.min)}`);
  if (band.max !== undefined) parts.push(`≤ ${fmtNumber(band.max)}`);
  return `${band.point} ${parts.join(' ')}`;
}

export function verifyPanel(_ctx, detail) {
  const list = detail.verifications ?? [];
  if (!list.length) return null;
  return h(
    'div',
    { class: 'panel', testid: 'ticket-verify' },
    h('h2', null, t('verify.title')),
    h('ul', { class: 'plain' }, list.map((v) => h(
      'li',
      { dataset: { state: v.state } },
      h('strong', null, t(`verify.state.${v.state}`)),
      ' · ', bandText(v.band),
      ' · ', t('verify.window', { from: fmtDateTime(v.startedTs), to: fmtDateTime(v.untilTs) }),
      v.result?.reason ? h('div', { class: 'muted' }, t(`verify.reason.${v.result.reason}`), v.result.value !== undefined ? ` (${fmtNumber(v.result.value)})` : '') : null,
    ))),
  );
}
