// "Why this engineer" on the work-order page in a real browser (Debian chromium via playwright-core): each factor's
// share, then the operator's override through the picker, checked against the box.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startBox, login, until, ADMIN_PW, type TestBox } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const ALL_WEEK = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }];
let tb: TestBox;
let browser: Browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  tb = await startBox();
  tb.box.registry.upsertZone({ id: 'z2', siteId: 'site1', name: 'Workshop' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
  await tb?.stop();
});

test('the work order shows why its engineer was chosen, and the operator overrides from the ranked list', async () => {
  const api = await login(tb.httpUrl);
  await api.put('/api/v1/sitemap/site1', { links: [{ a: 'z1', b: 'z2', minutes: 6 }] });
  await api.put('/api/v1/engineers/near', { siteId: 'site1', role: 'engineer', name: 'Nora Near', profile: { skills: [{ trade: 'plumbing', level: 2 }], zones: ['z1'], shifts: ALL_WEEK } });
  await api.put('/api/v1/engineers/far', { siteId: 'site1', role: 'engineer', name: 'Felix Far', profile: { skills: [{ trade: 'plumbing', level: 2 }], zones: ['z2', 'z1'], shifts: ALL_WEEK } });
  const made = (await api.post('/api/v1/tickets', { siteId: 'site1', assetId: 'a1', category: 'plumbing', urgency: 'MAJOR', title: 'Leak at pump A1' })).body;
  await until(async () => (await api.get(`/api/v1/tickets/${made.id}`)).body.ticket.assignee === 'near', 5000, 'dispatched to near');

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  try {
    await page.goto(`${tb.httpUrl}/#/ticket/${made.id}`);
    await page.waitForURL(/login\.html/);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PW);
    await page.getByTestId('login-submit').click();
    const panel = page.getByTestId('ticket-dispatch');
    await panel.waitFor();
    assert.match((await panel.getByTestId('dispatch-summary').textContent()) ?? '', /Nora Near chosen by dispatch/);
    const rows = panel.locator('[data-testid="dispatch-factors"] tbody tr');
    assert.equal(await rows.count(), 6, 'six factors, each with its share');
    const shares = await rows.evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.share)));
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 0.01, `shares add up: ${shares}`);
    assert.match((await panel.locator('[data-factor="travel"]').textContent()) ?? '', /0 min from z1/);

    // The picker lists the ranked candidates; the operator sends Felix with a reason.
    const pick = panel.getByTestId('dispatch-pick');
    await pick.waitFor();
    assert.deepEqual(await pick.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['near', 'far']);
    await pick.selectOption('far');
    await panel.getByTestId('dispatch-reason').fill('has the long ladder');
    await panel.getByTestId('dispatch-assign').click();
    await until(async () => (await api.get(`/api/v1/tickets/${made.id}`)).body.ticket.assignee === 'far', 5000, 'override applied');
    await page.getByText('Assigned by admin (override): far').waitFor();
    const trail = (await api.get(`/api/v1/tickets/${made.id}`)).body.events.filter((e: { kind: string }) => e.kind === 'assigned').at(-1);
    assert.deepEqual(trail.data.why, { override: true, reason: 'has the long ladder' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
