// The operator dashboard in a real browser (Debian chromium via playwright-core) against a real box running the demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createOutpost } from '../src/outpost.ts';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN_PW = 'test-admin-pw';

let box: ReturnType<typeof createOutpost>;
let httpUrl = '';
let browser: Browser;
let dataDir = '';

before(async () => {
  // A missing browser is a broken machine, not a pass: .ci/run installs it (apt-get install chromium fonts-noto-cjk).
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  dataDir = mkdtempSync(join(tmpdir(), 'outpost-dash-'));
  box = createOutpost(
    {
      dataDir,
      http: { port: 0, host: '127.0.0.1' },
      mqtt: { port: 0, host: '127.0.0.1' },
      demo: { enabled: true, speedup: 20 },
      auth: { adminPassword: ADMIN_PW },
      log: { level: 'silent' },
    },
    { env: {} },
  );
  ({ httpUrl } = await box.start());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await box?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser profile per test: no cookie, no stored language. */
async function newPage(locale = 'en-US'): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale });
  const page = await context.newPage();
  const errors: string[] = [];
  // An exception in a page script is a bug the user would hit even when the flow still looks fine.
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors, close: () => context.close() };
}

async function logIn(page: Page, password = ADMIN_PW): Promise<void> {
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** The same session a script would use: the check that the browser's click changed the box, not only the page. */
async function apiGet(path: string): Promise<any> {
  const res = await fetch(`${httpUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PW }),
  });
  assert.equal(res.status, 200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const r = await fetch(`${httpUrl}${path}`, { headers: { cookie } });
  assert.equal(r.status, 200, `GET ${path}`);
  return r.json();
}

test('an operator logs in, sees the demo work order appear, opens its alarm and acknowledges it', async () => {
  const { page, errors, close } = await newPage('en-US');
  try {
    // Not logged in: the dashboard's first API call answers 401 and the page goes to the login form.
    await page.goto(`${httpUrl}/`);
    await page.waitForURL(/\/login\.html/);

    // A first visit is not an expired session: the form shows no error until a login fails.
    const loginError = page.getByTestId('login-error');
    assert.equal(await loginError.isVisible(), false);
    await logIn(page, 'not-the-password');
    await loginError.waitFor({ state: 'visible' });
    assert.equal((await loginError.textContent())?.trim(), 'Wrong username or password.');

    await logIn(page);
    await page.waitForURL((u) => !u.pathname.endsWith('login.html'));
    await page.getByTestId('asset-tile').first().waitFor();
    assert.equal(await page.getByTestId('asset-tile').count(), 3, 'the demo plant has three assets');

    // The pump's bearing overheats within seconds at speedup 20; its work order arrives over SSE, no reload.
    await page.getByTestId('nav-tickets').click();
    const row = page.locator('[data-testid="ticket-row"][data-alarm-type="bearing_overheat"]');
    await row.first().waitFor({ timeout: 30_000 });
    const alarmId = await row.first().getAttribute('data-alarm-id');
    assert.ok(alarmId, 'the work order names its alarm');

    // The overview shows the pump in alarm, coloured by its severity.
    await page.getByTestId('nav-overview').click();
    const pump = page.locator('[data-testid="asset-tile"][data-asset-id="pump-p101"]');
    // (A MINOR "rising fast" alarm may come first; the tile follows the highest active severity.)
    await page.waitForFunction(() => /^(MAJOR|CRITICAL)$/.test(document.querySelector('[data-asset-id="pump-p101"]')?.getAttribute('data-severity') ?? ''));
    assert.equal(await pump.getAttribute('data-state'), 'alarm');
    assert.match((await pump.getAttribute('class')) ?? '', /tile-alarm sev-(MAJOR|CRITICAL)/);

    await page.getByTestId('nav-tickets').click();
    await row.first().click();
    await page.getByTestId('ticket-detail').waitFor();
    await page.getByTestId('ticket-timeline').getByTestId('ticket-event').first().waitFor();
    await page.locator('[data-testid="evidence-chart"] canvas').first().waitFor();
    // The demo roster dispatches it on its own: the page offers exactly the moves the flow allows from "assigned"
    // (the list follows the ticket live, so a page drawn while it was still new catches up).
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="ticket-transition"]')].map((e) => (e as HTMLElement).dataset.to).join() === 'accepted,in_progress,new,cancelled');
    await page.getByTestId('ticket-dispatch').getByTestId('dispatch-factors').waitFor();

    await page.getByTestId('ticket-alarm-link').click();
    const detail = page.locator(`[data-testid="alarm-detail"][data-alarm-id="${alarmId}"]`);
    await detail.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="alarm-detail"]')?.getAttribute('data-status') === 'ACTIVE_UNACK');
    await detail.getByTestId('alarm-ack').first().click();
    await page.waitForFunction(() => document.querySelector('[data-testid="alarm-detail"]')?.getAttribute('data-status') === 'ACTIVE_ACK');
    assert.equal(await detail.getByTestId('alarm-ack').first().isDisabled(), true, 'an acknowledged alarm cannot be acknowledged again');

    const alarm = await apiGet(`/api/v1/alarms/${alarmId}`);
    assert.equal(alarm.status, 'ACTIVE_ACK');
    assert.ok(alarm.ackTs >= alarm.startTs);

    // The alarm list agrees, without a reload.
    await page.getByTestId('nav-alarms').click();
    await page.locator(`[data-testid="alarm-row"][data-alarm-id="${alarmId}"][data-status="ACTIVE_ACK"]`).waitFor();

    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a preventive work order shows its forecast chart and predicted date; the pump vibration shows its ISO zone', async () => {
  const { page, errors, close } = await newPage();
  try {
    await page.goto(`${httpUrl}/login.html`);
    await logIn(page);
    const zone = page.locator('[data-testid="asset-tile"][data-asset-id="pump-p101"] [data-testid="point-zone"]');
    await zone.first().waitFor();
    assert.match((await zone.first().getAttribute('data-zone')) ?? '', /^[A-D]$/);

    // The drift was predicted before the threshold alarm: its work order is there by now (the first test waited for the alarm).
    await page.getByTestId('nav-tickets').click();
    await page.locator('[data-testid="ticket-row"][data-alarm-type="bearing_overheat_forecast"]').first().click();
    await page.locator('[data-testid="forecast-chart"] canvas').first().waitFor();
    const predicted = page.getByTestId('ticket-predicted');
    assert.ok(Number(await predicted.getAttribute('data-ts')) > 0);
    assert.match((await page.getByTestId('forecast-summary').textContent()) ?? '', /crossing predicted/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the console speaks Chinese to a zh-CN browser, switches to English, and keeps the choice', async () => {
  const { page, errors, close } = await newPage('zh-CN');
  try {
    await page.goto(`${httpUrl}/login.html`);
    assert.equal((await page.getByTestId('login-submit').textContent())?.trim(), '登录');
    await logIn(page);
    await page.getByTestId('asset-tile').first().waitFor();
    assert.equal((await page.getByTestId('nav-alarms').textContent())?.replace(/\d+/g, '').trim(), '告警');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

    // Every key exists in both dictionaries, so no string falls back to the other language.
    // The path is a page URL, not a module tsc can resolve: passed as an argument so it stays out of the type check.
    const missing = await page.evaluate(async (url: string) => {
      const { DICTS } = (await import(url)) as { DICTS: Record<string, Record<string, string>> };
      const en = Object.keys(DICTS.en);
      const zh = Object.keys(DICTS['zh-CN']);
      return { notInZh: en.filter((k) => !zh.includes(k)), notInEn: zh.filter((k) => !en.includes(k)) };
    }, '/i18n.js');
    assert.deepEqual(missing, { notInZh: [], notInEn: [] });

    await page.getByTestId('lang-switch').selectOption('en');
    assert.equal((await page.getByTestId('nav-overview').textContent())?.trim(), 'Overview');
    await page.reload();
    await page.getByTestId('asset-tile').first().waitFor();
    assert.equal((await page.getByTestId('nav-overview').textContent())?.trim(), 'Overview', 'the choice survives a reload');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
