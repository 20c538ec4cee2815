// The work-order page in a real browser shows who was alerted, on which channels, and whether they acknowledged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { ADMIN_PW, login, startBox, until } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';

test('the operator sees the alerts of a work order: person, reason, channels and acknowledgement', async (t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  // The SMS gateway is down (503) for the whole test: its delivery stays pending; the WeCom robot answers.
  const svc = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(req.url === '/sms' ? 503 : 200, { 'content-type': 'application/json' }); res.end('{"errcode":0}'); }); });
  await new Promise<void>((r) => svc.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => { svc.closeAllConnections(); svc.close(() => r()); }));
  const svcUrl = `http://127.0.0.1:${(svc.address() as AddressInfo).port}`;
  const box = await startBox({ overrides: { notify: { retryBaseMs: 60_000, tickMs: 50, sms: { url: `${svcUrl}/sms` } } } });
  t.after(() => box.stop());
  const admin = await login(box.httpUrl);
  await admin.post('/api/v1/users', { username: 'alice', password: 'alice-password', role: 'engineer' });
  box.box.roster.upsert({ id: 'e1', siteId: 'site1', username: 'alice', name: 'Alice Wang', phone: '+8613800000001', role: 'engineer', active: true, profile: { notify: { wecom: `${svcUrl}/wecom` } } });
  const ticket = (await admin.post('/api/v1/tickets', { siteId: 'site1', assetId: 'a1', category: 'mechanical', urgency: 'MAJOR', title: 'Pump A1 leaking' })).body;
  await admin.post(`/api/v1/tickets/${ticket.id}/assign`, { engineerId: 'e1' });
  await until(() => box.box.notify.forTicket(ticket.id)[0]?.deliveries.find((d) => d.channel === 'sms')?.attempts === 1, 3000, 'first SMS try');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${box.httpUrl}/login.html?next=${encodeURIComponent(`#/ticket/${ticket.id}`)}`);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(ADMIN_PW);
  await page.getByTestId('login-submit').click();
  const table = page.getByTestId('ticket-alerts-table');
  await table.waitFor();
  const row = table.locator('tbody tr');
  assert.equal(await row.count(), 1);
  await until(async () => (await row.locator('td').first().textContent()) === 'Alice Wang', 5000, 'the person by name');
  assert.equal(await row.locator('td').nth(1).textContent(), 'Assigned');
  const chips = await row.locator('[data-channel]').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.channel}:${(e as HTMLElement).dataset.status}`));
  assert.deepEqual(chips.sort(), ['live:pending', 'mqtt:sent', 'sms:pending', 'wecom:sent']);
  assert.match((await row.getByTestId('alert-ack').textContent()) ?? '', /^Not yet \(due /);
  await page.screenshot({ path: `${box.dir}/ticket-alerts.png`, fullPage: true });

  // Alice accepts on her phone; the page, reloaded, shows the acknowledgement.
  const alice = await login(box.httpUrl, 'alice', 'alice-password');
  assert.equal((await alice.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'accepted' })).status, 200);
  await page.reload();
  await page.getByTestId('ticket-alerts-table').waitFor();
  assert.match((await page.getByTestId('alert-ack').textContent()) ?? '', /^Yes, /);
  assert.equal(await page.locator('tr[data-acked="true"]').count(), 1);
  assert.deepEqual(errors, []);
});
