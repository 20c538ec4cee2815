// The knowledge base on a real box over HTTP: import manuals, search them in Chinese and English, a pump alarm's work
// order gets the right articles, steps and parts, and a closed work order becomes a past repair that search finds.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createDemo } from '../src/modules/demo/index.ts';
import { createLogger } from '../src/core/index.ts';
import { startBox, connectDevice, login, until, sendSeries, publish, topic, endClient, type TestBox } from './helpers.ts';

const PUMP_EN = `---
asset_types: [pump]
alarm_types: [overheat]
fault_codes: [E-07, E-12]
parts: [BRG-6309-2Z, SEAL-MS-45]
---
# Pump manual

General description of the test pump.

## Bearing overheat

The bearings run hot when the grease is old.

1. Measure the bearing housing.
2. Regrease 5 g.
3. Replace BRG-6309-2Z if still hot.

## E-07 Motor overcurrent

The inverter trips with E-07. Turn the shaft by hand; a seized bearing needs BRG-6309-2Z.

1. Lock out the motor.
2. Turn the shaft by hand.

## E-12 Seal leak

Replace the seal SEAL-MS-45.
`;

const PUMP_ZH = `---
asset_types: [pump]
alarm_types: [overheat]
---
# 水泵手册

## 轴承温度过高

先检查润滑脂，再测量轴承座温度。离心泵轴承损坏时振动同时升高。
`;

const CHILLER = `Chiller supply temperature high
asset_types: chiller
fault_codes: LP-01

Check the condenser and the LP-01 code.`;

let tb: TestBox;
let admin: Awaited<ReturnType<typeof login>>;

before(async () => {
  tb = await startBox();
  admin = await login(tb.httpUrl);
  for (const [name, text] of [['pump.en.md', PUMP_EN], ['pump.zh-CN.md', PUMP_ZH], ['chiller.txt', CHILLER]]) {
    const r = await admin.post('/api/v1/kb/import', { name, text });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(() => tb.stop());

const titles = (r: { body: { results: { title: string }[] } }) => r.body.results.map((x) => x.title);

test('import: sections become articles; re-importing the same file updates in place and drops removed sections', async () => {
  const again = await admin.post('/api/v1/kb/import', { name: 'pump.en.md', text: PUMP_EN.replace(/## E-12 Seal leak[\s\S]*$/, '') });
  assert.equal(again.status, 201);
  assert.equal(again.body.articles.length, 3);
  assert.equal(again.body.removed, 1);
  const first = (await admin.post('/api/v1/kb/import', { name: 'pump.en.md', text: PUMP_EN })).body;
  assert.deepEqual(first.articles.slice(0, 3).map((a: { id: number }) => a.id), again.body.articles.map((a: { id: number }) => a.id));
  const article = (await admin.get(`/api/v1/kb/articles/${first.articles[1].id}`)).body;
  assert.equal(article.title, 'Pump manual · Bearing overheat');
  assert.deepEqual(article.steps, ['Measure the bearing housing.', 'Regrease 5 g.', 'Replace BRG-6309-2Z if still hot.']);
  assert.deepEqual(article.tags.parts, ['BRG-6309-2Z']);
  assert.equal((await admin.get('/api/v1/kb/articles/999999')).body.code, 'OUTPOST_NOT_FOUND');
});

test('import refuses empty, oversized and binary documents with coded errors, and non-admins', async () => {
  const empty = await admin.post('/api/v1/kb/import', { name: 'e.md', text: '  \n' });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.code, 'OUTPOST_KB_IMPORT_EMPTY');
  const big = await admin.post('/api/v1/kb/import', { name: 'big.md', text: 'x'.repeat(300 * 1024) });
  assert.equal(big.status, 413);
  assert.equal(big.body.code, 'OUTPOST_KB_IMPORT_TOO_LARGE');
  const bin = await admin.post('/api/v1/kb/import', { name: 'manual.pdf', text: '%PDF-1.4\u0000\u0001\u0002' });
  assert.equal(bin.status, 415);
  assert.equal(bin.body.code, 'OUTPOST_KB_IMPORT_BINARY');
  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_kb_import_rejected_total\{code="OUTPOST_KB_IMPORT_BINARY"\} 1/);
  await admin.post('/api/v1/users', { username: 'op1', password: 'operator-pw', role: 'operator' });
  const op = await login(tb.httpUrl, 'op1', 'operator-pw');
  assert.equal((await op.post('/api/v1/kb/import', { name: 'a.md', text: 'hello' })).status, 403);
});

test('search in Chinese: a two-character word, a word inside a run, a three-character word', async () => {
  assert.deepEqual(titles(await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('轴承')}`)), ['水泵手册 · 轴承温度过高']);
  assert.deepEqual(titles(await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('温度')}`)), ['水泵手册 · 轴承温度过高']);
  const r = await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('离心泵')}`);
  assert.deepEqual(titles(r), ['水泵手册 · 轴承温度过高']);
  const s = r.body.results[0].snippet;
  assert.deepEqual(s.marks.map(([a, b]: [number, number]) => s.text.slice(a, b)), ['离心泵']);
});

test('search in English stems words and ranks a title hit first; fault codes match whole; language filter', async () => {
  const r = await admin.get('/api/v1/kb/search?q=bearings');
  assert.equal(r.body.results[0].title, 'Pump manual · Bearing overheat');
  assert.deepEqual(r.body.results[0].titleMarks, [[14, 21]]);
  const code = await admin.get('/api/v1/kb/search?q=E07');
  assert.equal(code.body.results[0].title, 'Pump manual · E-07 Motor overcurrent');
  assert.equal((await admin.get('/api/v1/kb/search?q=LP-01')).body.results[0].title, 'Chiller supply temperature high');
  assert.deepEqual(titles(await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('轴承')}&lang=en`)), []);
  assert.equal((await admin.get('/api/v1/kb/search?q=bearing&kind=fault_code')).body.results.every((x: { kind: string }) => x.kind === 'fault_code'), true);
});

test('mixed query, nonsense, and FTS syntax typed by a user', async () => {
  const mixed = await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('轴承 grease')}`);
  assert.equal(mixed.body.mode, 'any');
  assert.ok(titles(mixed).includes('水泵手册 · 轴承温度过高') && titles(mixed).includes('Pump manual · Bearing overheat'));
  assert.deepEqual(titles(await admin.get('/api/v1/kb/search?q=zzqx+plughwort')), []);
  for (const q of ['"轴承', 'bearing"', 'NEAR(a b', 'title:pump', 'AND OR NOT', '*', '(']) {
    const r = await admin.get(`/api/v1/kb/search?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, q);
  }
  assert.equal((await admin.get('/api/v1/kb/search?q=bearing&limit=500')).status, 400);
});

test('an engineer may search and read articles', async () => {
  await admin.post('/api/v1/users', { username: 'eng1', password: 'engineer-pw', role: 'engineer' });
  const eng = await login(tb.httpUrl, 'eng1', 'engineer-pw');
  const r = await eng.get(`/api/v1/kb/search?q=${encodeURIComponent('润滑脂')}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.results.length, 1);
  assert.equal((await eng.get(`/api/v1/kb/articles/${r.body.results[0].id}`)).status, 200);
});

test('a pump alarm with fault code E-07: suggestions, steps and parts; the trail shows what was offered; closed, it becomes a past repair', async () => {
  const dev = await connectDevice(tb.mqttPort, 'd1');
  await publish(dev, topic('d1', 'event'), { ts: Date.now() - 60_000, code: 'E-07', text: 'overcurrent trip' });
  await sendSeries(dev, 'd1', 'temp', [[120, 60], [90, 62], [60, 70], [40, 81], [25, 83], [10, 85]]);
  const ticket = await until(async () => (await admin.get('/api/v1/tickets?open=true')).body.find((t: { alarmType: string }) => t.alarmType === 'overheat'), 5000, 'work order');
  await endClient(dev);

  const s = (await admin.get(`/api/v1/tickets/${ticket.id}/suggestions`)).body;
  assert.deepEqual(s.context, { assetType: 'pump', assetName: 'Pump A1', alarmType: 'overheat', faultCodes: ['E-07'] });
  assert.equal(s.articles[0].title, 'Pump manual · E-07 Motor overcurrent');
  assert.ok(s.articles[0].why.includes('fault_code:e07'));
  assert.ok(!s.articles.some((a: { title: string }) => a.title.startsWith('Chiller')));
  assert.deepEqual(s.steps.steps, ['Lock out the motor.', 'Turn the shaft by hand.']);
  assert.equal(s.parts[0].sku, 'BRG-6309-2Z');

  const offered = await until(async () => (await admin.get(`/api/v1/tickets/${ticket.id}`)).body.events.find((e: { kind: string }) => e.kind === 'kb_suggested'), 5000, 'kb_suggested');
  assert.deepEqual(offered.data.articleIds, s.articles.map((a: { id: number }) => a.id));
  assert.deepEqual(offered.data.faultCodes, ['E-07']);

  await admin.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'in_progress', note: '到现场，驱动端轴承有异响' });
  tb.box.bus.emit('job.signed_off', { ticketId: ticket.id, engineerId: 'e1', partsUsed: [{ sku: 'BRG-6309-2Z', qty: 1 }], notes: 'Replaced the seized drive-end bearing; 更换驱动端轴承后盘车灵活', ts: Date.now() });
  await admin.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'resolved' });
  assert.equal((await admin.get(`/api/v1/kb/search?q=seized&kind=past_repair`)).body.results.length, 0, 'not a past repair before it closes');
  assert.equal((await admin.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'closed' })).status, 200);

  const found = await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('驱动端 轴承')}&kind=past_repair`);
  assert.equal(found.body.results.length, 1);
  const repair = (await admin.get(`/api/v1/kb/articles/${found.body.results[0].id}`)).body;
  assert.equal(repair.kind, 'past_repair');
  assert.equal(repair.source, ticket.id);
  assert.match(repair.title, /^overheat on Pump A1 — Replaced the seized drive-end bearing/);
  assert.match(repair.body, /BRG-6309-2Z × 1/);
  assert.match(repair.body, /到现场，驱动端轴承有异响/);
  assert.deepEqual(repair.tags.faultCodes, ['E-07']);
  assert.deepEqual(repair.tags.parts, ['BRG-6309-2Z']);
  assert.equal(repair.language, 'both');
  assert.ok((await admin.get('/api/v1/kb/search?q=E-07')).body.results.some((r: { kind: string }) => r.kind === 'past_repair'));

  // The next overheat on the same pump is offered this repair.
  const next = tb.box.tickets.openManual({ siteId: 'site1', assetId: 'a2', category: 'mechanical', urgency: 'MAJOR', title: 'Bearing seized again?', actor: 'admin' });
  const s2 = (await admin.get(`/api/v1/tickets/${next.id}/suggestions`)).body;
  assert.ok(s2.articles.some((a: { kind: string }) => a.kind === 'past_repair'), JSON.stringify(s2.articles));
});

test('the demo site ships its manuals: seeding imports them, and a work order on pump P-101 is offered its bearing section', async () => {
  await createDemo({ registry: tb.box.registry, kb: tb.box.kb, logger: createLogger('silent') }, { enabled: true, speedup: 1 }).seed();
  const zh = await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('P-101 轴承温度过高')}&lang=zh-CN`);
  assert.equal(zh.body.results[0].title, '冷却水泵 P-101 维修手册 · 轴承温度过高');
  const en = await admin.get('/api/v1/kb/search?q=lubrication+procedure&lang=en');
  assert.equal(en.body.results[0].kind, 'procedure');
  const t = tb.box.tickets.openManual({ siteId: 'demo-plant', assetId: 'pump-p101', category: 'mechanical', urgency: 'MAJOR', title: '轴承温度过高，有异响', actor: 'admin' });
  const s = (await admin.get(`/api/v1/tickets/${t.id}/suggestions`)).body;
  assert.equal(s.articles[0].title, '冷却水泵 P-101 维修手册 · 轴承温度过高');
  assert.ok(s.articles[0].why.includes('asset_model:p101'));
  assert.equal(s.steps.steps.length, 5);
  assert.equal(s.parts[0].sku, 'BRG-6309-2Z');
  // Seeding again (every demo start) changes nothing.
  const before = tb.box.kb.count();
  await createDemo({ registry: tb.box.registry, kb: tb.box.kb, logger: createLogger('silent') }, { enabled: true, speedup: 1 }).seed();
  assert.equal(tb.box.kb.count(), before);
});
