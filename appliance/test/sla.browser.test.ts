// The work-order page's SLA panel in a real browser (Debian chromium via playwright-core): both clocks with their
// state and colour, the escalation steps, a pause, in English and Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startBox, login, tempDir, ADMIN_PW } from './helpers.ts';
import { manualClock } from '../src/core/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const M = 60_000;

test('an operator sees a breached response clock, the ladder it climbed, and a paused resolution clock', async (t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  // The box's clock starts at the real time so the session cookie is not born expired in the browser.
  const t0 = Date.now();
  const clock = manualClock(t0);
  const tb = await startBox({ dir, clock });
  t.after(() => tb.stop());
  const api = await login(tb.httpUrl);
  await api.put('/api/v1/engineers/e1', { siteId: 'site1', name: 'Wang Wei', role: 'engineer' });
  await api.put('/api/v1/engineers/sup1', { siteId: 'site1', name: 'Li Na', role: 'supervisor' });
  const id = (await api.post('/api/v1/tickets', { siteId: 'site1', category: 'electrical', urgency: 'MAJOR', title: 'Panel smells burnt' })).body.id as string;
  await api.post(`/api/v1/tickets/${id}/assign`, { engineerId: 'e1' });
  for (const min of [16, 31, 48, 61]) {
    clock.set(t0 + min * M);
    tb.box.sla.tick();
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${tb.httpUrl}/login.html`);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(ADMIN_PW);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.endsWith('login.html'));
  await page.goto(`${tb.httpUrl}/#/ticket/${encodeURIComponent(id)}`);

  const panel = page.getByTestId('ticket-sla');
  await panel.waitFor();
  assert.equal(await panel.getAttribute('data-breached'), 'true');
  const response = panel.locator('[data-testid="sla-clock"][data-clock="response"]');
  assert.equal(await response.getAttribute('data-state'), 'breached');
  assert.equal((await response.getByTestId('sla-state').textContent())?.trim(), 'Breached');
  // Red, from the stylesheet's critical colour.
  assert.equal(await response.getByTestId('sla-state').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(198, 40, 40)');
  assert.match((await response.textContent()) ?? '', /late by 1 min/);
  assert.equal(await panel.locator('[data-testid="sla-clock"][data-clock="resolution"]').getAttribute('data-state'), 'ok');
  // Not accepted: next engineer at 16, supervisor at 31, manager at 46; the response breach reaches the supervisor at 60.
  const steps = await panel.getByTestId('sla-step').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.reason}/${(e as HTMLElement).dataset.level}`));
  assert.deepEqual(steps, ['no_ack/1', 'no_ack/2', 'no_ack/3', 'response_overdue/2']);
  assert.match((await panel.getByTestId('sla-step').nth(1).textContent()) ?? '', /Li Na \(supervisor\)/);
  // The trail names the SLA entries in words.
  assert.equal((await page.locator('[data-testid="ticket-event"][data-kind="sla_breached"] strong').first().textContent())?.trim(), 'SLA breached');

  // The next step arrives live (server-sent), no reload: the manager at 75 for the overdue response.
  clock.set(t0 + 75 * M);
  tb.box.sla.tick();
  await panel.locator('[data-testid="sla-step"][data-reason="response_overdue"][data-level="3"]').waitFor();

  // The list shows the running clock's state on each row.
  await page.getByTestId('nav-tickets').click();
  const cell = page.locator(`[data-testid="ticket-row"][data-ticket-id="${id}"] [data-testid="ticket-sla-cell"]`);
  await cell.waitFor();
  assert.equal(await cell.getAttribute('data-sla-state'), 'breached');
  assert.equal(await cell.getAttribute('data-sla-clock'), 'response');
  await page.goto(`${tb.httpUrl}/#/ticket/${encodeURIComponent(id)}`);
  await panel.waitFor();

  // On site, then waiting for parts: the resolution clock shows paused.
  clock.set(t0 + 80 * M);
  await api.post(`/api/v1/tickets/${id}/transition`, { to: 'in_progress' });
  await api.post(`/api/v1/tickets/${id}/transition`, { to: 'waiting_parts' });
  await page.reload();
  await page.locator('[data-testid="sla-clock"][data-clock="resolution"][data-paused="true"]').waitFor();
  assert.equal((await page.locator('[data-testid="sla-clock"][data-clock="resolution"] [data-testid="sla-state"]').textContent())?.trim(), 'Paused');

  // The same panel in Chinese.
  await page.getByTestId('lang-switch').selectOption('zh-CN');
  await page.reload();
  await page.getByTestId('ticket-sla').waitFor();
  assert.equal((await page.locator('[data-testid="sla-clock"][data-clock="response"] [data-testid="sla-state"]').textContent())?.trim(), '已超时');
  assert.deepEqual(errors, []);
});
