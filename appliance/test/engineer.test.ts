// The engineer app's API on a real box over real HTTP: my jobs, QR check-in, checklist, photos, sign-off, idempotent replays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, login, pngImage as png, ADMIN_PW, type TestBox } from './helpers.ts';

let tb: TestBox;
let admin: Awaited<ReturnType<typeof login>>;
const PHOTO_MAX = 64 * 1024;

/** A logged-in engineer that can also send raw bodies and extra headers. */
async function engineer(username: string) {
  const c = await login(tb.httpUrl, username, `pw-${username}-secret`);
  const raw = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const isBuf = Buffer.isBuffer(body);
    const r = await fetch(`${tb.httpUrl}${path}`, {
      method, headers: { cookie: c.cookie, ...(body !== undefined && !isBuf ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : isBuf ? new Uint8Array(body as Buffer) : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  return { ...c, raw };
}

async function addEngineer(id: string, username: string) {
  await tb.box.auth.addUser(username, `pw-${username}-secret`, 'engineer');
  tb.box.roster.upsert({ id, siteId: 'site1', username, name: `Engineer ${id}`, phone: null, role: 'engineer', active: true, profile: {} });
}

function jobOn(assetId: string, engineerId: string, title = 'Pump noisy') {
  const t = tb.box.tickets.openManual({ siteId: 'site1', assetId, category: 'mechanical', urgency: 'MAJOR', title, actor: 'admin' });
  return tb.box.tickets.assign(t.id, engineerId, 'admin', { reason: 'test' });
}

before(async () => {
  tb = await startBox({ overrides: { field: { photoMaxBytes: PHOTO_MAX } } });
  admin = await login(tb.httpUrl, 'admin', ADMIN_PW);
  await addEngineer('e1', 'eng1');
  await addEngineer('e2', 'eng2');
});
after(() => tb?.stop());

test('my jobs lists only the jobs assigned to me, with asset and zone names', async () => {
  const mine = jobOn('a1', 'e1');
  const theirs = jobOn('a2', 'e2');
  const e1 = await engineer('eng1');
  const r = await e1.get('/api/v1/me/jobs');
  assert.equal(r.status, 200);
  const ids = r.body.map((j: { id: string }) => j.id);
  assert.ok(ids.includes(mine.id));
  assert.ok(!ids.includes(theirs.id), 'another engineer\'s job must not show');
  const j = r.body.find((x: { id: string }) => x.id === mine.id);
  assert.equal(j.assetName, 'Pump A1');
  assert.equal(j.zoneName, 'Zone 1');
  // The deadline the engineer works to (the SLA module's response clock, running while the job waits for an answer).
  assert.equal(typeof j.sla?.response?.dueTs, 'number');
  assert.ok(j.sla.response.dueTs > Date.now() - 60_000);
  assert.equal(typeof (await e1.get(`/api/v1/me/jobs/${mine.id}`)).body.sla?.resolution?.dueTs, 'number');
  // Another's job page is refused.
  assert.equal((await e1.get(`/api/v1/me/jobs/${theirs.id}`)).body.code, 'OUTPOST_FORBIDDEN');
  // A login that is not on the roster gets a clear error.
  await tb.box.auth.addUser('ghost', 'pw-ghost-secret', 'engineer');
  assert.equal((await (await login(tb.httpUrl, 'ghost', 'pw-ghost-secret')).get('/api/v1/me/jobs')).body.code, 'OUTPOST_NOT_FOUND');
});

test('check-in: a forged code and another asset\'s label are refused; the right label puts the job in progress and the engineer in the zone', async () => {
  const job = jobOn('a1', 'e1', 'Check-in job');
  const e1 = await engineer('eng1');
  assert.equal((await e1.post(`/api/v1/me/jobs/${job.id}/transition`, { to: 'accepted' })).status, 200);
  // Labels are for staff to print: the engineer cannot fetch one (it would be a master key to any check-in).
  assert.equal((await e1.get('/api/v1/assets/a1/label')).status, 403);
  const label = (await admin.get('/api/v1/assets/a1/label')).body;
  assert.match(label.url, /\/engineer\/#\/checkin\/a1\.[A-Za-z0-9_-]{16}$/);
  const svg = await admin.get('/api/v1/assets/a1/qr.svg');
  assert.equal(svg.status, 200);
  assert.match(String(svg.body), /^<svg[\s\S]*<\/svg>\s*$/);
  const other = (await admin.get('/api/v1/assets/a2/label')).body.url;

  const before = tb.box.metrics.registry.getSingleMetric('outpost_field_rejected_total');
  const forged = label.url.replace(/\.[A-Za-z0-9_-]+$/, '.AAAAAAAAAAAAAAAA');
  let r = await e1.post(`/api/v1/me/jobs/${job.id}/checkin`, { code: forged });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'OUTPOST_CHECKIN_INVALID');
  r = await e1.post(`/api/v1/me/jobs/${job.id}/checkin`, { code: 'a1.not-a-token-at-all' });
  assert.equal(r.body.code, 'OUTPOST_CHECKIN_INVALID');
  r = await e1.post(`/api/v1/me/jobs/${job.id}/checkin`, { code: other });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'OUTPOST_CHECKIN_WRONG_ASSET');
  assert.equal(tb.box.tickets.get(job.id).status, 'accepted', 'a refused check-in moves nothing');
  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_field_rejected_total\{code="OUTPOST_CHECKIN_INVALID"\} 2/);
  assert.match(metrics, /outpost_field_rejected_total\{code="OUTPOST_CHECKIN_WRONG_ASSET"\} 1/);
  assert.ok(before);

  r = await e1.post(`/api/v1/me/jobs/${job.id}/checkin`, { code: label.url });
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'in_progress');
  const me = tb.box.roster.get('e1')!;
  assert.equal(me.locationZoneId, 'z1');
  const trail = tb.box.tickets.detail(job.id).events.map((e) => e.kind);
  assert.ok(trail.includes('checked_in'));
  assert.ok((await e1.get(`/api/v1/me/jobs/${job.id}`)).body.checkinTs > 0);
});

test('opening a label URL checks in to my open job on that asset; none open is a clear 404', async () => {
  const job = jobOn('a2', 'e1', 'Label-URL job');
  const e1 = await engineer('eng1');
  const url = (await admin.get('/api/v1/assets/a2/label')).body.url;
  const r = await e1.post('/api/v1/me/checkin', { code: url });
  assert.equal(r.status, 200);
  assert.equal(r.body.id, job.id);
  assert.equal(r.body.status, 'in_progress');
  const e2 = await engineer('eng2');
  const none = await e2.post('/api/v1/me/checkin', { code: (await admin.get('/api/v1/assets/a1/label')).body.url });
  assert.equal(none.status, 404);
});

test('the checklist comes from the best template, each step is saved, and a step that is not on the sheet is refused', async () => {
  const job = jobOn('a1', 'e1', 'Checklist job');
  const e1 = await engineer('eng1');
  const j = (await e1.get(`/api/v1/me/jobs/${job.id}`)).body;
  assert.equal(j.templateId, 'trade-mechanical');
  assert.ok(j.steps.length >= 4);
  const step = j.steps[1].id;
  let r = await e1.post(`/api/v1/me/jobs/${job.id}/checklist`, { stepId: step, done: true, value: 42.5, note: 'bearing warm' });
  assert.equal(r.status, 200);
  const again = (await e1.get(`/api/v1/me/jobs/${job.id}`)).body.steps.find((s: { id: string }) => s.id === step);
  assert.deepEqual([again.progress.done, again.progress.value, again.progress.note, again.progress.by], [true, 42.5, 'bearing warm', 'eng1']);
  // No value is no value, not 0.
  await e1.post(`/api/v1/me/jobs/${job.id}/checklist`, { stepId: j.steps[0].id, done: true, value: null, note: null });
  const first = (await e1.get(`/api/v1/me/jobs/${job.id}`)).body.steps[0].progress;
  assert.deepEqual([first.value, first.note], [null, null]);
  r = await e1.post(`/api/v1/me/jobs/${job.id}/checklist`, { stepId: 'nope', done: true });
  assert.equal(r.status, 404);

  // A template with a point shows the asset's live reading beside the step.
  await admin.put('/api/v1/job-templates/pump-temp', { name: 'Pump temp', match: { assetType: 'pump', category: 'hvac' }, steps: [{ id: 'temp', en: 'Temp', zh: '温度', point: 'temp', expect: { max: 70 } }] });
  await new Promise<void>((res, rej) => tb.box.ingest.acceptReadings('d1', [{ point: 'temp', ts: Date.now(), value: 75 }], (err) => (err ? rej(err) : res())));
  const t2 = tb.box.tickets.openManual({ siteId: 'site1', assetId: 'a1', category: 'hvac', urgency: 'MINOR', title: 'Hot', actor: 'admin' });
  tb.box.tickets.assign(t2.id, 'e1', 'admin');
  const j2 = (await e1.get(`/api/v1/me/jobs/${t2.id}`)).body;
  assert.equal(j2.templateId, 'pump-temp');
  assert.deepEqual({ deviceId: j2.steps[0].live.deviceId, point: j2.steps[0].live.point, unit: j2.steps[0].live.unit, value: j2.steps[0].live.value }, { deviceId: 'd1', point: 'temp', unit: '°C', value: 75 });
  assert.equal(j2.steps[0].liveBand, 'high', 'a reading above the step band is flagged');
  // An engineer cannot edit templates.
  assert.equal((await e1.put('/api/v1/job-templates/x', { name: 'x', match: {}, steps: [{ id: 's', en: 's', zh: 's' }] })).status, 403);
});

test('photos: a real image is stored and listed; a non-image or an oversize body gets its coded error and is counted', async () => {
  const job = jobOn('a1', 'e1', 'Photo job');
  const e1 = await engineer('eng1');
  const img = png(4, 4);
  let r = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/photos`, img, { 'content-type': 'image/png' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.mime, 'image/png');
  const photoId = r.body.id;
  // A text file calling itself a JPEG is judged by its bytes.
  r = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/photos`, Buffer.from('not an image at all'), { 'content-type': 'image/jpeg' });
  assert.equal(r.status, 415);
  assert.equal(r.body.code, 'OUTPOST_PHOTO_TYPE');
  r = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/photos`, Buffer.concat([img, Buffer.alloc(PHOTO_MAX)]), { 'content-type': 'image/png' });
  assert.equal(r.status, 413);
  assert.equal(r.body.code, 'OUTPOST_PAYLOAD_TOO_LARGE');
  const list = (await e1.get(`/api/v1/me/jobs/${job.id}`)).body.photos;
  assert.deepEqual(list.map((p: { id: string }) => p.id), [photoId]);
  // The operator sees it on the work order, byte for byte.
  const staff = (await admin.get(`/api/v1/tickets/${job.id}/job`)).body;
  assert.equal(staff.photos.length, 1);
  const file = await fetch(`${tb.httpUrl}/api/v1/photos/${photoId}`, { headers: { cookie: admin.cookie } });
  assert.equal(file.headers.get('content-type'), 'image/png');
  assert.ok(Buffer.from(await file.arrayBuffer()).equals(img));
  // Another engineer cannot read it.
  assert.equal((await (await engineer('eng2')).get(`/api/v1/photos/${photoId}`)).status, 403);
  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_field_rejected_total\{code="OUTPOST_PHOTO_TYPE"\} 1/);
  assert.match(metrics, /outpost_field_rejected_total\{code="OUTPOST_PAYLOAD_TOO_LARGE"\} 1/);
});

test('sign-off: refused with unticked steps unless a reason is given; then stored, job.signed_off emitted, ticket resolved', async () => {
  const job = jobOn('a1', 'e1', 'Sign-off job');
  const e1 = await engineer('eng1');
  const label = (await admin.get('/api/v1/assets/a1/label')).body.url;
  await e1.post(`/api/v1/me/jobs/${job.id}/checkin`, { code: label });
  const body = { notes: 'Regreased the bearing', partsUsed: [{ sku: 'GREASE-400G', qty: 1 }], signature: { name: 'Engineer e1' } };
  let r = await e1.post(`/api/v1/me/jobs/${job.id}/signoff`, body);
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'OUTPOST_CHECKLIST_INCOMPLETE');
  const steps = (await e1.get(`/api/v1/me/jobs/${job.id}`)).body.steps;
  for (const s of steps) await e1.post(`/api/v1/me/jobs/${job.id}/checklist`, { stepId: s.id, done: true });
  const seen: unknown[] = [];
  tb.box.bus.on('job.signed_off', (e) => seen.push(e));
  r = await e1.post(`/api/v1/me/jobs/${job.id}/signoff`, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'resolved');
  assert.equal(seen.length, 1);
  assert.deepEqual({ ...(seen[0] as Record<string, unknown>), ts: 0 }, { ticketId: job.id, engineerId: 'e1', partsUsed: [{ sku: 'GREASE-400G', qty: 1 }], notes: 'Regreased the bearing', ts: 0 });
  const j = (await e1.get(`/api/v1/me/jobs/${job.id}`)).body;
  assert.equal(j.signoff.signature.name, 'Engineer e1');
  // Signing a resolved job again is a transition error, not a second event.
  assert.equal((await e1.post(`/api/v1/me/jobs/${job.id}/signoff`, body)).status, 409);
  assert.equal(seen.length, 1);

  // With a reason, unticked steps may stay.
  const job2 = jobOn('a1', 'e1', 'Partial job');
  await e1.post(`/api/v1/me/jobs/${job2.id}/checkin`, { code: label });
  r = await e1.post(`/api/v1/me/jobs/${job2.id}/signoff`, { ...body, incompleteReason: 'no access to the coupling' });
  assert.equal(r.body.status, 'resolved');
});

test('the app cannot resolve without signing off; declining needs a reason and hands the job back', async () => {
  const job = jobOn('a2', 'e1', 'Decline job');
  const e1 = await engineer('eng1');
  assert.equal((await e1.post(`/api/v1/me/jobs/${job.id}/transition`, { to: 'new' })).body.code, 'OUTPOST_BAD_REQUEST');
  const r = await e1.post(`/api/v1/me/jobs/${job.id}/transition`, { to: 'new', note: 'not my trade' });
  assert.equal(r.body.status, 'new');
  assert.equal(r.body.assignee, null);
  assert.ok(!(await e1.get('/api/v1/me/jobs')).body.some((j: { id: string }) => j.id === job.id));
});

test('an outbox replay with the same Idempotency-Key is applied once and answered the same; the key cannot be reused elsewhere', async () => {
  const job = jobOn('a1', 'e1', 'Replay job');
  const e1 = await engineer('eng1');
  const key = 'k-0123456789abcdef';
  const a = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/notes`, { text: 'Valve replaced' }, { 'idempotency-key': key });
  const b = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/notes`, { text: 'Valve replaced' }, { 'idempotency-key': key });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.deepEqual(b.body, a.body);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const notes = tb.box.tickets.detail(job.id).events.filter((e) => e.kind === 'note');
  assert.equal(notes.length, 1);
  // A replayed transition does not fail on the second go (it would: accepted -> accepted is not a move).
  const k2 = 'k-transition-000001';
  const t1 = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/transition`, { to: 'accepted' }, { 'idempotency-key': k2 });
  const t2 = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/transition`, { to: 'accepted' }, { 'idempotency-key': k2 });
  assert.equal(t1.status, 200);
  assert.equal(t2.status, 200);
  assert.equal(tb.box.tickets.detail(job.id).events.filter((e) => e.to === 'accepted').length, 1);
  const reuse = await e1.raw('POST', `/api/v1/me/jobs/${job.id}/checklist`, { stepId: 'safety', done: true }, { 'idempotency-key': key });
  assert.equal(reuse.status, 409);
  assert.equal((await e1.raw('POST', `/api/v1/me/jobs/${job.id}/notes`, { text: 'x' }, { 'idempotency-key': 'bad key!' })).body.code, 'OUTPOST_BAD_REQUEST');
  // Keys are per login: another engineer's identical key is theirs.
  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_field_replays_total 2/);
});
