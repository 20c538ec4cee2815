// Modbus on the dashboard: a device's field link with its last error, and the admin's form to add a device from a family.
import { t, fmtDateTime, fmtRelative } from '../i18n.js';
import { api } from '../api.js';
import { h, setChildren, fields } from '../dom.js';
import { state, loadDevices } from '../store.js';

/** The device page's link panel: where the device is, when it was last polled, and the last coded error in words. */
export function linkPanel(link) {
  const where = link.transport === 'tcp' ? `tcp://${link.host}:${link.port}` : `${link.path} · ${link.baud} ${t(`modbus.parity.${link.parity}`)}`;
  const err = link.lastError;
  return h(
    'div',
    { class: 'panel', testid: 'device-link-panel' },
    h('h2', null, t('modbus.link')),
    fields([
      [t('modbus.address'), h('code', null, where), 'link-address'],
      [t('modbus.unitId'), String(link.unitId)],
      [t('modbus.family'), link.family],
      [t('modbus.pollEvery'), t('modbus.ms', { n: link.pollMs })],
      [t('modbus.blocks'), String(link.blocks)],
      [t('modbus.lastPoll'), link.lastPollTs ? `${fmtDateTime(link.lastPollTs)} (${fmtRelative(link.lastPollTs)})` : t('common.none')],
      [t('modbus.lastOk'), link.lastOkTs ? fmtDateTime(link.lastOkTs) : t('common.none')],
      [
        t('modbus.lastError'),
        err ? [h('code', { testid: 'link-error-code' }, err.code), ' ', h('span', { class: 'muted small' }, fmtDateTime(err.ts)), h('div', { testid: 'link-error-message' }, err.message)] : t('modbus.noError'),
        'link-error',
      ],
    ]),
  );
}

/** " (running)" after a coded value whose register map names it; empty otherwise. */
export function enumLabel(link, key, value) {
  const label = link?.enums?.[key]?.[String(value)];
  return label ? ` (${label})` : '';
}

/** #/modbus: pick a family, say where the device is, add it (admins only; the server checks too). */
export function modbusAddView(ctx) {
  const el = h('section', { class: 'view view-modbus', testid: 'modbus-add' });
  let families = [];
  let assets = [];
  let error = null;
  let loaded = false;

  const input = (name, attrs = {}) => h('input', { class: 'input', name, testid: `modbus-${name}`, ...attrs });
  const labelled = (key, control) => h('label', { class: 'field' }, h('span', null, t(key)), control);

  function render() {
    if (state.me?.role !== 'admin') return setChildren(el, h('h1', null, t('modbus.addTitle')), h('p', { class: 'muted' }, t('modbus.adminOnly')));
    // No form before the families arrive: a re-render then would wipe what the user had typed.
    if (!loaded) return setChildren(el, h('h1', null, t('modbus.addTitle')), h('p', { class: 'empty' }, t('common.loading')));
    const family = h('select', { class: 'input', name: 'family', testid: 'modbus-family' }, families.map((f) => h('option', { value: f.id }, `${f.name} (${f.vendor})`)));
    const transport = h('select', { class: 'input', name: 'transport', testid: 'modbus-transport' }, h('option', { value: 'tcp' }, 'Modbus TCP'), h('option', { value: 'rtu' }, 'Modbus RTU (RS485)'));
    const asset = h('select', { class: 'input', name: 'assetId', testid: 'modbus-asset' }, h('option', { value: '' }, t('common.none')), assets.map((a) => h('option', { value: a.id }, a.name)));
    const about = h('div', { class: 'muted small', testid: 'modbus-family-about' });
    const tcpFields = h('div', null, labelled('modbus.host', input('host', { placeholder: '192.168.1.50' })), labelled('modbus.port', input('port', { type: 'number', value: '502', min: '1', max: '65535' })));
    const rtuFields = h('div', { hidden: true }, labelled('modbus.path', input('path', { placeholder: '/dev/ttyUSB0' })), labelled('modbus.baud', input('baud', { type: 'number', value: '9600' })),
      labelled('modbus.parityLabel', h('select', { class: 'input', name: 'parity', testid: 'modbus-parity' }, ['none', 'even', 'odd'].map((p) => h('option', { value: p }, t(`modbus.parity.${p}`))))));
    const showFamily = () => {
      const f = families.find((x) => x.id === family.value);
      setChildren(about, f ? [h('div', null, f.source), h('div', null, t('modbus.points', { list: f.points.map((p) => p.name + (p.writable ? ' ✎' : '')).join(', ') }))] : null);
    };
    family.addEventListener('change', showFamily);
    transport.addEventListener('change', () => { tcpFields.hidden = transport.value !== 'tcp'; rtuFields.hidden = transport.value !== 'rtu'; });
    const form = h(
      'form',
      { class: 'panel', testid: 'modbus-form', onsubmit: (ev) => { ev.preventDefault(); submit(form); } },
      error ? h('p', { class: 'form-error', testid: 'modbus-error' }, error) : null,
      labelled('modbus.family', family),
      about,
      labelled('modbus.deviceId', input('id', { required: true, pattern: '[A-Za-z0-9_-]{1,64}' })),
      labelled('modbus.name', input('name', { required: true })),
      labelled('device.asset', asset),
      labelled('modbus.transport', transport),
      tcpFields,
      rtuFields,
      labelled('modbus.unitId', input('unitId', { type: 'number', value: '1', min: '1', max: '255', required: true })),
      labelled('modbus.pollMs', input('pollMs', { type: 'number', value: '5000', min: '50' })),
      h('button', { class: 'btn btn-primary', type: 'submit', testid: 'modbus-submit' }, t('modbus.submit')),
    );
    setChildren(el, h('div', { class: 'view-head' }, h('a', { href: '#/overview', class: 'back' }, '← ', t('nav.overview')), h('h1', null, t('modbus.addTitle'))), form);
    showFamily();
  }

  async function submit(form) {
    const v = Object.fromEntries(new FormData(form));
    const body = { id: v.id, name: v.name, siteId: state.siteId, family: v.family, transport: v.transport, unitId: Number(v.unitId), pollMs: Number(v.pollMs) || 5000 };
    if (v.assetId) body.assetId = v.assetId;
    if (v.transport === 'tcp') Object.assign(body, { host: v.host, port: Number(v.port) });
    else Object.assign(body, { path: v.path, baud: Number(v.baud), parity: v.parity });
    try {
      await api('/modbus/devices', { method: 'POST', body });
      await loadDevices().catch(() => {});
      ctx.toast(t('modbus.added', { id: body.id }));
      ctx.go(`#/device/${encodeURIComponent(body.id)}`);
    } catch (err) {
      // The server's coded message says what to fix (unit id taken, unknown family...).
      error = err.message;
      render();
    }
  }

  render();
  Promise.all([api('/modbus/families'), api('/assets')]).then(([f, a]) => {
    families = f;
    assets = a.filter((x) => x.siteId === state.siteId);
    loaded = true;
    render();
  }, (err) => ctx.fail(err));
  return { el };
}
