// The engineer's phone app: log in, my jobs, a job's page (accept, on the way, QR check-in, checklist with live
// readings, photos, parts, notes, sign-off), all working through the outbox when the site Wi-Fi drops.
import { t, tOr, getLang, bindLangSwitch, onLangChange, applyI18n, fmtDateTime, fmtNumber, fmtRelative } from '../i18n.js';
import { h, setChildren } from '../dom.js';
import { read, call, send, flush, onNetChange, whenLoggedOut, pendingCount, clearFailure, isOnline } from './net.js';
import { cache, outbox } from './store.js';
import { startScan } from './scan.js';
import { kbSearchView, kbArticleView } from './kb.js';

const root = document.getElementById('app');
const bar = document.getElementById('bar');
const state = { me: null, jobs: [], job: null, stale: false, net: { online: true, pending: 0, failed: null }, parts: null, stopScan: null };

// Mirrors TICKET_MOVES on the box, for what the app offers while it cannot ask.
const MOVES = {
  new: [], assigned: ['accepted', 'in_progress', 'new'], accepted: ['en_route', 'in_progress', 'new'], en_route: ['in_progress', 'new'],
  in_progress: ['waiting_parts', 'waiting_customer', 'resolved'], waiting_parts: ['in_progress'], waiting_customer: ['in_progress'],
  resolved: [], verifying: [], closed: [], cancelled: [],
};

// ---- chrome -------------------------------------------------------------------------------------

function netChip() {
  const { online, pending } = state.net;
  const cls = !online ? 'net off' : pending ? 'net wait' : 'net on';
  const label = !online ? t('eng.net.offline') : pending ? t('eng.net.sending') : t('eng.net.online');
  return h('span', { class: cls, testid: 'net-status', dataset: { online: String(online) } }, label,
    pending ? h('span', { class: 'count', testid: 'outbox-count' }, t('eng.net.queued', { n: pending })) : null);
}

function drawBar() {
  const lang = h('select', { class: 'lang', testid: 'lang-switch', 'aria-label': t('lang.label') });
  bindLangSwitch(lang);
  setChildren(bar,
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), t('eng.brand')),
    netChip(),
    h('span', { class: 'spacer' }),
    lang,
    state.me ? h('button', { class: 'icon-btn small', testid: 'logout', onclick: logout }, t('header.logout')) : null,
  );
  const f = state.net.failed;
  const banner = document.getElementById('banner');
  banner.hidden = !f;
  if (f) setChildren(banner, h('span', null, t('eng.outbox.refused', { what: t(`eng.kind.${f.kind}`), message: f.message ?? f.code })), h('button', { class: 'icon-btn', onclick: clearFailure }, '×'));
}

function toast(msg) {
  const el = h('div', { class: 'toast', testid: 'toast', role: 'status' }, msg);
  document.body.append(el);
  setTimeout(() => el.remove(), 3500);
}

// ---- login --------------------------------------------------------------------------------------

function loginView(message) {
  stopLive();
  const err = h('p', { class: 'form-error', role: 'alert', testid: 'login-error', hidden: !message }, message ?? '');
  const user = h('input', { name: 'username', testid: 'login-username', autocomplete: 'username', autocapitalize: 'none', required: true });
  const pass = h('input', { name: 'password', type: 'password', testid: 'login-password', autocomplete: 'current-password', required: true });
  const btn = h('button', { type: 'submit', class: 'btn primary block', testid: 'login-submit' }, t('login.submit'));
  const form = h('form', {
    class: 'card login', novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      btn.disabled = true;
      try {
        await call('/auth/login', { body: { username: user.value.trim(), password: pass.value } });
        await cache.clear();
        await boot();
      } catch (e) {
        err.hidden = false;
        err.textContent = e.status === 401 ? t('login.invalid') : e.status === 0 || !e.status ? t('eng.offlineLogin') : t('login.failed', { message: e.message });
        btn.disabled = false;
      }
    },
  }, h('h1', null, t('eng.login.title')), h('p', { class: 'muted' }, t('eng.login.subtitle')),
  h('label', { class: 'field' }, h('span', null, t('login.username')), user),
  h('label', { class: 'field' }, h('span', null, t('login.password')), pass), err, btn);
  setChildren(root, form);
  drawBar();
}

async function logout() {
  try {
    await call('/auth/logout');
  } catch { /* the cookie goes anyway when it expires */ }
  state.me = null;
  await cache.clear();
  await outbox.clear();
  loginView();
}

// ---- jobs list ----------------------------------------------------------------------------------

/** The nearest SLA deadline, whatever shape the SLA module gives its clocks ({response:{dueTs}}, ...). */
function slaDue(sla) {
  if (!sla || typeof sla !== 'object') return null;
  const dues = [];
  for (const v of Object.values(sla)) {
    if (v && typeof v === 'object' && typeof v.dueTs === 'number' && !v.stopped && v.running !== false) dues.push(v.dueTs);
  }
  if (typeof sla.dueTs === 'number') dues.push(sla.dueTs);
  return dues.length ? Math.min(...dues) : null;
}

function statusBadge(status, verify) {
  const key = verify === 'verified' ? 'eng.verify.verified' : verify === 'reopened' && status === 'assigned' ? 'eng.verify.reopened' : `ticketStatus.${status}`;
  return h('span', { class: `badge tst-${verify === 'reopened' ? 'reopened' : status}`, testid: 'job-status', dataset: { status, verify: verify ?? '' } }, t(key));
}

function jobCard(j) {
  const due = slaDue(j.sla);
  return h('a', { class: 'card job', href: `#/job/${j.id}`, testid: 'job-card', dataset: { id: j.id } },
    h('div', { class: 'row' }, h('span', { class: `badge sev-${j.priority}` }, t(`sev.${j.priority}`)), statusBadge(j.status, j.verify)),
    h('div', { class: 'title' }, j.title),
    h('div', { class: 'muted' }, [j.assetName, j.zoneName].filter(Boolean).join(' · ') || t('common.none')),
    due ? h('div', { class: `due ${due < Date.now() ? 'late' : ''}`, testid: 'job-due' }, t('eng.due', { when: fmtRelative(due) })) : null);
}

async function jobsView() {
  let res;
  try {
    res = await read('/me/jobs');
  } catch (e) {
    if (e.status === 401) return;
    setChildren(root, h('p', { class: 'empty' }, t('common.error', { message: e.message })));
    return;
  }
  state.jobs = res.data;
  state.stale = res.stale;
  const open = state.jobs.filter((j) => j.status !== 'closed');
  const done = state.jobs.filter((j) => j.status === 'closed');
  setChildren(root,
    h('div', { class: 'head' }, h('h1', null, t('eng.jobs.title')), state.me ? h('span', { class: 'muted' }, state.me.name) : null),
    res.stale ? h('p', { class: 'stale', testid: 'stale' }, t('eng.stale')) : null,
    pushOffer(),
    open.length ? h('div', { class: 'list', testid: 'jobs' }, open.map(jobCard)) : h('p', { class: 'empty', testid: 'no-jobs' }, t('eng.jobs.none')),
    done.length ? [h('h2', null, t('eng.jobs.recent')), h('div', { class: 'list' }, done.map(jobCard))] : null,
    h('a', { class: 'btn block', href: '#/scan', testid: 'scan-any' }, t('eng.scanAny')),
    h('a', { class: 'btn block', href: '#/kb', testid: 'kb-any' }, t('kb.title')));
}

// ---- one job ------------------------------------------------------------------------------------

async function loadJob(id) {
  const res = await read(`/me/jobs/${id}`);
  state.job = res.data;
  state.stale = res.stale;
  return state.job;
}

/** Saves what the app changed without the box's answer, so a reload offline shows it too. */
function keepLocal() {
  if (state.job) cache.put(`/me/jobs/${state.job.ticket.id}`, state.job).catch(() => {});
}

async function act(kind, path, body, label, optimistic) {
  const id = state.job?.ticket.id;
  if (optimistic) {
    optimistic(state.job);
    keepLocal();
    drawJob();
  }
  const r = await send(path, { body, jobId: id, kind, label });
  if (r.error) {
    toast(t('eng.outbox.refused', { what: t(`eng.kind.${kind}`), message: r.error.message }));
    clearFailure();
  }
  if (r.queued) toast(t('eng.queuedToast'));
  else if (state.job?.ticket.id === id && location.hash.startsWith(`#/job/${id}`)) {
    try {
      await loadJob(id);
    } catch { /* the page keeps what it has */ }
    drawJob();
  }
  return r;
}

function move(to, note) {
  return act('transition', `/me/jobs/${state.job.ticket.id}/transition`, note ? { to, note } : { to }, to, (j) => {
    j.ticket.status = to;
    j.moves = MOVES[to] ?? [];
  });
}

function liveChip(step) {
  if (!step.point) return null;
  const l = step.live;
  const band = step.liveBand;
  const text = l && l.value !== null ? `${fmtNumber(l.value)}${l.unit ? ` ${l.unit}` : ''}` : t('eng.noReading');
  const range = step.expect ? t('eng.expect', { range: [step.expect.min !== undefined ? `≥ ${step.expect.min}` : null, step.expect.max !== undefined ? `≤ ${step.expect.max}` : null].filter(Boolean).join(' ') }) : null;
  return h('div', { class: `live ${band ?? ''}`, testid: `live-${step.id}`, dataset: { device: l?.deviceId ?? '', point: step.point, band: band ?? '' } },
    h('span', { class: 'dot-live', 'aria-hidden': 'true' }), h('span', { class: 'val' }, text), range ? h('span', { class: 'range' }, range) : null);
}

function stepRow(step, editable) {
  const p = step.progress;
  const done = !!p?.done;
  const value = h('input', {
    type: 'number', inputmode: 'decimal', step: 'any', class: 'value', testid: `step-value-${step.id}`, value: p?.value ?? '',
    placeholder: t('eng.step.value'), disabled: !editable,
    onchange: () => { forget(`v_${step.id}`); saveStep(step, { done, value: value.value === '' ? null : Number(value.value), note: p?.note ?? null }); },
  });
  keepTyped(value, `v_${step.id}`);
  const note = h('input', {
    class: 'note', testid: `step-note-${step.id}`, value: p?.note ?? '', placeholder: t('eng.step.note'), disabled: !editable, maxlength: 2000,
    onchange: () => { forget(`n_${step.id}`); saveStep(step, { done, value: p?.value ?? null, note: note.value || null }); },
  });
  keepTyped(note, `n_${step.id}`);
  return h('li', { class: `step ${done ? 'done' : ''}`, testid: `step-${step.id}` },
    h('button', {
      class: 'tick', testid: `step-toggle-${step.id}`, 'aria-pressed': String(done), disabled: !editable,
      onclick: () => saveStep(step, { done: !done, value: p?.value ?? null, note: p?.note ?? null }),
    }, done ? '✓' : ''),
    h('div', { class: 'body' }, h('div', { class: 'text' }, getLang() === 'zh-CN' ? step.zh : step.en), liveChip(step),
      h('div', { class: 'inputs' }, step.point || step.expect ? value : null, note)));
}

function saveStep(step, p) {
  return act('checklist', `/me/jobs/${state.job.ticket.id}/checklist`, { stepId: step.id, ...p }, step.id, (j) => {
    const s = j.steps.find((x) => x.id === step.id);
    s.progress = { ...(s.progress ?? {}), stepId: step.id, ...p, ts: Date.now(), by: state.me?.username ?? '' };
    j.missing = j.steps.filter((x) => !x.progress?.done).map((x) => x.id);
  });
}

/** Phone photos are 3-12 MB; 1600 px JPEG at 0.8 is ~300 KB and still shows a nameplate. */
async function downsize(file) {
  const bmp = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
  const c = document.createElement('canvas');
  c.width = Math.round(bmp.width * scale);
  c.height = Math.round(bmp.height * scale);
  c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
  return new Promise((resolve) => c.toBlob((b) => resolve(b), 'image/jpeg', 0.8));
}

async function addPhoto(file) {
  const id = state.job.ticket.id;
  let blob;
  try {
    blob = await downsize(file);
  } catch {
    blob = file; // not decodable here: the box will judge its bytes
  }
  const local = URL.createObjectURL(blob);
  state.job.photos.push({ id: null, local, ts: Date.now() });
  drawJob();
  const r = await send(`/me/jobs/${id}/photos`, { blob, contentType: blob.type || 'image/jpeg', jobId: id, kind: 'photo', label: file.name });
  if (r.error) toast(t('eng.outbox.refused', { what: t('eng.kind.photo'), message: r.error.message }));
  else if (r.queued) toast(t('eng.queuedToast'));
  else if (state.job?.ticket.id === id) {
    await loadJob(id).catch(() => {});
    drawJob();
  }
}

function signaturePad() {
  const c = h('canvas', { class: 'sigpad', testid: 'signature-pad', width: 600, height: 180 });
  const ctx = c.getContext('2d');
  ctx.lineWidth = 3;
  ctx.lineCap = 'round';
  let drawing = false;
  let drawn = false;
  const at = (e) => {
    const r = c.getBoundingClientRect();
    return [((e.clientX - r.left) * c.width) / r.width, ((e.clientY - r.top) * c.height) / r.height];
  };
  c.addEventListener('pointerdown', (e) => { drawing = true; drawn = true; ctx.beginPath(); ctx.moveTo(...at(e)); c.setPointerCapture(e.pointerId); });
  c.addEventListener('pointermove', (e) => { if (drawing) { ctx.lineTo(...at(e)); ctx.stroke(); } });
  c.addEventListener('pointerup', () => { drawing = false; });
  c.png = () => (drawn ? c.toDataURL('image/png') : undefined);
  c.clear = () => { ctx.clearRect(0, 0, c.width, c.height); drawn = false; };
  return c;
}

/** What is typed in a field survives the redraws that live updates cause (kept per job until sent). */
function keepTyped(input, name) {
  const d = draft.get(state.job.ticket.id);
  if (d[`typed_${name}`] !== undefined) input.value = d[`typed_${name}`];
  input.addEventListener('input', () => { d[`typed_${name}`] = input.value; });
}
const forget = (name) => { const d = state.job && draft.get(state.job.ticket.id); if (d) delete d[`typed_${name}`]; };

function partsBlock(parts) {
  const list = h('datalist', { id: 'parts-list' }, (state.parts ?? []).map((p) => h('option', { value: p.sku ?? p.id }, (getLang() === 'zh-CN' ? p.nameZh : p.nameEn) ?? p.name ?? '')));
  const rows = h('div', { class: 'parts' });
  const draw = () => setChildren(rows, parts.map((p, i) => h('div', { class: 'part-row', testid: 'part-row' },
    h('span', { class: 'sku' }, p.sku), h('span', null, `× ${p.qty}`),
    h('button', { class: 'icon-btn', 'aria-label': t('eng.parts.remove'), onclick: () => { parts.splice(i, 1); draw(); } }, '×'))));
  const sku = h('input', { testid: 'part-sku', list: 'parts-list', placeholder: t('eng.parts.sku'), autocapitalize: 'characters', maxlength: 64 });
  const qty = h('input', { testid: 'part-qty', type: 'number', inputmode: 'numeric', min: 1, value: 1, class: 'qty' });
  keepTyped(sku, 'sku');
  keepTyped(qty, 'qty');
  draw();
  return h('section', { class: 'card' }, h('h2', null, t('eng.parts.title')), list, rows,
    h('div', { class: 'row' }, sku, qty, h('button', {
      class: 'btn', testid: 'part-add', onclick: () => {
        const s = sku.value.trim();
        const q = Math.max(1, Math.round(Number(qty.value) || 1));
        if (!s) return;
        parts.push({ sku: s, qty: q });
        sku.value = '';
        qty.value = 1;
        forget('sku');
        forget('qty');
        draw();
      },
    }, t('eng.parts.add'))));
}

const draft = new Map(); // per job: parts and sign-off fields typed but not yet sent

function drawJob() {
  const j = state.job;
  if (!j) return;
  const focused = document.activeElement?.dataset?.testid;
  renderJob(j);
  if (focused) document.querySelector(`[data-testid="${focused}"]`)?.focus();
}

function renderJob(j) {
  const tk = j.ticket;
  const st = tk.status;
  const working = ['in_progress'].includes(st);
  const d = draft.get(tk.id) ?? { parts: [], notes: '', name: state.me?.name ?? '', reason: '' };
  draft.set(tk.id, d);
  const due = slaDue(j.sla);
  const moves = j.moves ?? [];
  const actions = [];
  if (moves.includes('accepted')) actions.push(h('button', { class: 'btn primary', testid: 'btn-accept', onclick: () => move('accepted') }, t('eng.accept')));
  if (moves.includes('en_route')) actions.push(h('button', { class: 'btn', testid: 'btn-enroute', onclick: () => move('en_route') }, t('eng.enRoute')));
  if (['assigned', 'accepted', 'en_route', 'in_progress'].includes(st)) actions.push(h('a', { class: `btn ${st === 'in_progress' ? '' : 'primary'}`, href: `#/job/${tk.id}/scan`, testid: 'btn-scan' }, st === 'in_progress' ? t('eng.rescan') : t('eng.scan')));
  if (moves.includes('waiting_parts')) actions.push(h('button', { class: 'btn', testid: 'btn-wait-parts', onclick: () => move('waiting_parts') }, t('ticketAction.waiting_parts')));
  if (st.startsWith('waiting_')) actions.push(h('button', { class: 'btn primary', testid: 'btn-resume', onclick: () => move('in_progress') }, t('eng.resume')));
  let decline = null;
  if (moves.includes('new')) {
    const reason = h('input', { testid: 'decline-reason', placeholder: t('eng.declineReason'), maxlength: 2000 });
    decline = h('details', { class: 'decline' }, h('summary', { testid: 'btn-decline' }, t('eng.decline')),
      h('div', { class: 'row' }, reason, h('button', {
        class: 'btn danger', testid: 'decline-submit', onclick: async () => {
          if (!reason.value.trim()) { reason.focus(); return; }
          await move('new', reason.value.trim());
          location.hash = '#/';
        },
      }, t('eng.decline'))));
  }

  const v = j.verify?.state;
  const verifyBanner = v ? h('div', { class: `verify ${v}`, testid: 'verify-state', dataset: { state: v } },
    h('strong', null, t(`eng.verify.${v}`)), h('div', { class: 'small' }, t(`eng.verify.${v}.hint`)),
    j.verify.data?.reason ? h('div', { class: 'small', testid: 'verify-reason' }, tOr(`verify.reason.${j.verify.data.reason}`, j.verify.data.reason),
      typeof j.verify.data.value === 'number' ? ` (${fmtNumber(j.verify.data.value)})` : '') : null,
    j.verify.note ? h('div', { class: 'small' }, j.verify.note) : null) : null;

  const noteInput = h('textarea', { testid: 'note-input', rows: 2, placeholder: t('eng.notes.placeholder'), maxlength: 4000 });
  keepTyped(noteInput, 'note');
  const photoInput = h('input', { type: 'file', accept: 'image/*', capture: 'environment', testid: 'photo-input', class: 'visually-hidden', onchange: () => { for (const f of photoInput.files) addPhoto(f); photoInput.value = ''; } });
  const sig = signaturePad();
  const soNotes = h('textarea', { testid: 'signoff-notes', rows: 3, placeholder: t('eng.signoff.notes'), maxlength: 4000, value: d.notes, oninput: () => { d.notes = soNotes.value; } });
  const soName = h('input', { testid: 'signoff-name', value: d.name, placeholder: t('eng.signoff.name'), maxlength: 120, oninput: () => { d.name = soName.value; } });
  const missing = j.missing ?? [];
  const soReason = missing.length ? h('input', { testid: 'signoff-reason', value: d.reason, placeholder: t('eng.signoff.reason'), maxlength: 2000, oninput: () => { d.reason = soReason.value; } }) : null;

  setChildren(root,
    h('a', { class: 'back', href: '#/' }, `‹ ${t('eng.jobs.title')}`),
    state.stale ? h('p', { class: 'stale', testid: 'stale' }, t('eng.stale')) : null,
    h('section', { class: 'card head-card' },
      h('div', { class: 'row' }, h('span', { class: `badge sev-${tk.priority}` }, t(`sev.${tk.priority}`)), statusBadge(st, v)),
      h('h1', { testid: 'job-title' }, tk.title),
      h('div', { class: 'muted' }, [j.assetName, j.zoneName].filter(Boolean).join(' · ')),
      due ? h('div', { class: `due ${due < Date.now() ? 'late' : ''}` }, t('eng.due', { when: `${fmtDateTime(due)} (${fmtRelative(due)})` })) : null,
      h('a', { class: 'btn block', href: `#/kb?job=${encodeURIComponent(tk.id)}`, testid: 'job-kb' }, t('kb.suggestions')),
      tk.description ? h('p', null, tk.description) : null,
      j.checkinTs ? h('div', { class: 'small ok', testid: 'checked-in' }, t('eng.checkedIn', { when: fmtDateTime(j.checkinTs) })) : null),
    verifyBanner,
    actions.length ? h('div', { class: 'actions' }, actions) : null,
    decline,
    j.steps.length ? h('section', { class: 'card' },
      h('h2', null, t('eng.checklist'), h('span', { class: 'muted small', testid: 'checklist-count' }, ` ${j.steps.length - missing.length}/${j.steps.length}`)),
      working ? null : h('p', { class: 'muted small' }, t('eng.checkinFirst')),
      h('ol', { class: 'steps' }, j.steps.map((s) => stepRow(s, working)))) : null,
    h('section', { class: 'card' }, h('h2', null, t('eng.photos')),
      h('div', { class: 'thumbs' }, j.photos.map((p) => h('img', { class: 'thumb', testid: 'photo-thumb', alt: '', src: p.local ?? `/api/v1/photos/${p.id}`, loading: 'lazy' }))),
      h('label', { class: `btn block ${working ? '' : 'disabled'}` }, t('eng.addPhoto'), photoInput)),
    h('section', { class: 'card' }, h('h2', null, t('eng.notes')),
      h('ul', { class: 'notes' }, j.notes.map((n) => h('li', { testid: 'note-item' }, h('span', { class: 'muted small' }, fmtDateTime(n.ts)), ' ', n.text))),
      noteInput, h('button', {
        class: 'btn block', testid: 'note-add', onclick: () => {
          const text = noteInput.value.trim();
          if (!text) return;
          forget('note');
          act('note', `/me/jobs/${tk.id}/notes`, { text }, text.slice(0, 30), (jj) => jj.notes.push({ ts: Date.now(), actor: state.me?.username, text }));
        },
      }, t('eng.notes.add'))),
    working ? [partsBlock(d.parts),
      h('section', { class: 'card signoff' }, h('h2', null, t('eng.signoff')),
        missing.length ? h('p', { class: 'warn small', testid: 'signoff-missing' }, t('eng.signoff.missing', { n: missing.length })) : null,
        soNotes, soReason, h('label', { class: 'field' }, h('span', null, t('eng.signoff.name')), soName),
        h('div', { class: 'small muted' }, t('eng.signoff.draw')), sig,
        h('button', {
          class: 'btn primary block', testid: 'signoff-submit', onclick: async () => {
            if (!d.name.trim()) { soName.focus(); return; }
            if (missing.length && !d.reason.trim()) { soReason.focus(); return; }
            const body = { notes: d.notes.trim(), partsUsed: d.parts, signature: { name: d.name.trim(), ...(sig.png() ? { png: sig.png() } : {}) }, ...(missing.length ? { incompleteReason: d.reason.trim() } : {}) };
            const r = await act('signoff', `/me/jobs/${tk.id}/signoff`, body, tk.id, (jj) => { jj.ticket.status = 'resolved'; jj.moves = []; });
            if (!r.error) draft.delete(tk.id);
          },
        }, t('eng.signoff.submit')))] : null,
    j.signoff ? h('section', { class: 'card', testid: 'signed' }, h('h2', null, t('eng.signed')),
      h('p', null, j.signoff.notes || t('common.none')), h('p', { class: 'small muted' }, `${j.signoff.signature.name} · ${fmtDateTime(j.signoff.ts)}`),
      j.signoff.partsUsed.length ? h('p', { class: 'small' }, j.signoff.partsUsed.map((p) => `${p.sku} × ${p.qty}`).join(', ')) : null) : null,
  );
}

async function jobView(id) {
  try {
    await loadJob(id);
  } catch (e) {
    if (e.status === 401) return;
    setChildren(root, h('a', { class: 'back', href: '#/' }, `‹ ${t('eng.jobs.title')}`), h('p', { class: 'empty' }, t('common.error', { message: e.message })));
    return;
  }
  if (state.parts === null) {
    state.parts = [];
    // The parts catalogue belongs to dispatch; without it the engineer types the SKU.
    read('/parts').then((r) => { state.parts = Array.isArray(r.data) ? r.data : r.data?.parts ?? []; }).catch(() => {});
  }
  drawJob();
}

// ---- scan and check-in --------------------------------------------------------------------------

async function checkin(jobId, code) {
  if (jobId) {
    state.job ??= await loadJob(jobId).catch(() => null);
    const r = await act('checkin', `/me/jobs/${jobId}/checkin`, { code }, jobId, (j) => { j.ticket.status = 'in_progress'; j.checkinTs = Date.now(); j.moves = MOVES.in_progress; });
    if (!r.error) location.hash = `#/job/${jobId}`;
    return;
  }
  // A label opened from the phone's camera app: the box finds my open job on that asset.
  const r = await send('/me/checkin', { body: { code }, kind: 'checkin', label: code });
  if (r.error) {
    setChildren(root, h('a', { class: 'back', href: '#/' }, `‹ ${t('eng.jobs.title')}`), h('p', { class: 'empty', testid: 'checkin-error' }, r.error.message));
    return;
  }
  if (r.queued) { toast(t('eng.queuedToast')); location.hash = '#/'; return; }
  location.hash = `#/job/${r.data.id}`;
}

function scanView(jobId) {
  const video = h('video', { class: 'camera', testid: 'camera', autoplay: true, muted: true, playsinline: true });
  const status = h('p', { class: 'muted', testid: 'scan-status' }, t('eng.scan.hint'));
  const manual = h('input', { testid: 'scan-manual', placeholder: t('eng.scan.manual'), autocapitalize: 'none' });
  setChildren(root,
    h('a', { class: 'back', href: jobId ? `#/job/${jobId}` : '#/' }, `‹ ${t('common.back')}`),
    h('h1', null, t('eng.scan.title')), h('div', { class: 'camera-box' }, video, h('div', { class: 'aim', 'aria-hidden': 'true' })), status,
    h('div', { class: 'row' }, manual, h('button', { class: 'btn', testid: 'scan-manual-go', onclick: () => manual.value.trim() && checkin(jobId, manual.value.trim()) }, t('eng.scan.go'))));
  startScan(video, (code) => {
    state.stopScan = null;
    status.textContent = t('eng.scan.found');
    checkin(jobId, code);
  }).then((stop) => { state.stopScan = stop; }).catch(() => { status.textContent = t('eng.scan.noCamera'); });
}

// ---- live updates -------------------------------------------------------------------------------

let events = null;
let alerts = null;
let refreshTimer = null;

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    // Local changes still in the outbox would be overwritten by the box's older copy: wait for them.
    if ((await pendingCount()) > 0) return;
    route(true);
  }, 300);
}

function onReading(r) {
  if (!state.job || !location.hash.startsWith('#/job/')) return;
  for (const s of state.job.steps) {
    if (!s.live || s.live.deviceId !== r.deviceId || s.point !== r.point) continue;
    s.live.value = r.value;
    s.live.ts = r.ts;
    const min = s.expect?.min;
    const max = s.expect?.max;
    s.liveBand = s.expect ? (min !== undefined && r.value < min ? 'low' : max !== undefined && r.value > max ? 'high' : 'ok') : null;
    const chip = document.querySelector(`[data-testid="live-${s.id}"]`);
    if (chip) chip.replaceWith(liveChip(s));
  }
}

function startLive() {
  if (events) return;
  events = new EventSource('/api/v1/events');
  events.addEventListener('reading', (e) => onReading(JSON.parse(e.data)));
  events.addEventListener('ticket', (e) => {
    const tk = JSON.parse(e.data);
    const mine = tk.assignee === state.me?.id || state.jobs.some((j) => j.id === tk.id) || state.job?.ticket.id === tk.id;
    if (mine) scheduleRefresh();
  });
  // The notify module's own stream of my alerts; a box without it (404) leaves the ticket events above to do the job.
  let opened = false;
  alerts = new EventSource('/api/v1/me/alerts/stream');
  alerts.onopen = () => { opened = true; document.body.dataset.alerts = 'stream'; };
  alerts.addEventListener('alert', (e) => {
    const a = JSON.parse(e.data);
    toast(a.title ?? t('eng.newAlert'));
    scheduleRefresh();
  });
  alerts.onerror = () => {
    if (!opened && alerts.readyState === EventSource.CLOSED) {
      alerts.close();
      alerts = null;
      document.body.dataset.alerts = 'fallback';
    }
  };
}

function stopLive() {
  events?.close();
  alerts?.close();
  events = null;
  alerts = null;
}

// ---- push ---------------------------------------------------------------------------------------

let pushKey = null;
function pushOffer() {
  if (!pushKey || !('PushManager' in window) || Notification.permission === 'granted' || Notification.permission === 'denied') return null;
  return h('button', { class: 'btn block', testid: 'push-enable', onclick: enablePush }, t('eng.push.enable'));
}

function b64ToBytes(s) {
  const pad = '='.repeat((4 - (s.length % 4)) % 4);
  const raw = atob((s + pad).replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function enablePush() {
  try {
    if ((await Notification.requestPermission()) !== 'granted') return;
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(pushKey) });
    await call('/me/push-subscriptions', { body: sub.toJSON() });
    toast(t('eng.push.on'));
  } catch (e) {
    toast(t('common.error', { message: e.message }));
  }
  route(true);
}

async function setUpWorker() {
  // Service workers (offline shell, Web Push) need https or localhost; on plain http the in-page outbox still works.
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register('/engineer/sw.js', { scope: '/engineer/' });
    document.body.dataset.sw = 'registered';
    const r = await fetch('/api/v1/push/key', { credentials: 'same-origin' });
    if (r.ok) pushKey = (await r.json()).publicKey ?? null;
  } catch { /* offline shell unavailable; the page still works */ }
}

// ---- routing ------------------------------------------------------------------------------------

async function route(soft = false) {
  if (state.stopScan) { state.stopScan(); state.stopScan = null; }
  const hash = location.hash || '#/';
  drawBar();
  if (!state.me) return;
  let m;
  if ((m = /^#\/checkin\/(.+)$/.exec(hash))) return checkin(null, `${location.origin}/engineer/${hash}`);
  if ((m = /^#\/job\/([^/]+)\/scan$/.exec(hash))) return scanView(m[1]);
  if (hash === '#/scan') return scanView(null);
  if ((m = /^#\/kb\/a\/(\d+)$/.exec(hash))) return kbArticleView(root, m[1]);
  if (hash.startsWith('#/kb')) {
    const p = new URLSearchParams(hash.split('?')[1] ?? '');
    return kbSearchView(root, { q: p.get('q') ?? '', jobId: p.get('job') });
  }
  if ((m = /^#\/job\/([^/]+)$/.exec(hash))) {
    if (soft && state.job?.ticket.id === m[1]) {
      // Keep what the engineer is typing: only redraw when nothing has focus.
      await loadJob(m[1]).catch(() => {});
      if (!document.activeElement || document.activeElement === document.body) drawJob();
      return;
    }
    return jobView(m[1]);
  }
  return jobsView();
}

async function boot() {
  try {
    state.me = (await read('/me/engineer')).data;
  } catch (e) {
    state.me = null;
    if (e.status === 404) return loginView(t('eng.notOnRoster'));
    if (e.status === 401) return loginView();
    return loginView(t('eng.offlineLogin'));
  }
  startLive();
  await pendingCount();
  drawBar();
  flush();
  route();
}

whenLoggedOut(() => { state.me = null; loginView(t('login.expired')); });
onNetChange((n) => {
  const wasPending = state.net.pending;
  state.net = n;
  drawBar();
  // The queue just emptied: the box's copy is now the truth again.
  if (wasPending > 0 && n.pending === 0) scheduleRefresh();
});
onLangChange(() => { applyI18n(document); route(); });
window.addEventListener('hashchange', () => route());
applyI18n(document);
setUpWorker();
boot();
