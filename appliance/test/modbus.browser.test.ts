// The Modbus pages in a real browser: an admin adds a device from the family picker; its page shows the link, values and the last error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startBox, tempDir, ADMIN_PW, type TestBox } from './helpers.ts';
import { startPeer, unitFromFamily, freePort, type Peer } from './modbus-peer.ts';
import { loadFamilies } from '../src/modules/modbus/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const FAMILIES = loadFamilies(fileURLToPath(new URL('../../firmware-adapters/', import.meta.url))).families;
const XY = FAMILIES.get('xy-md02')!;
const VFD = FAMILIES.get('delta-vfd-e')!;
const tmp = tempDir();
let t: TestBox, peer: Peer, browser: Browser, port: number;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  port = await freePort();
  peer = await startPeer(tmp.dir, { units: { '1': unitFromFamily(XY, { temperature: 23.5, humidity: 40.1 }) } }, { tcp: port });
  t = await startBox({ dir: tmp.dir, overrides: { modbus: { timeoutMs: 200, retries: 0, backoffMs: 10, maxBackoffMs: 300 } } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});

after(async () => {
  await browser?.close();
  await t?.stop();
  await peer?.stop();
  tmp.cleanup();
});

test('an admin adds an XY-MD02 from the family picker; the device page shows its link, values, then the error when it goes away', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${t.httpUrl}/`);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(ADMIN_PW);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('add-modbus').click();
  await page.getByTestId('modbus-family').selectOption('xy-md02');
  assert.match(await page.getByTestId('modbus-family-about').innerText(), /0x0001 temperature/);
  await page.getByTestId('modbus-id').fill('th-web');
  await page.getByTestId('modbus-name').fill('Cold store');
  await page.getByTestId('modbus-host').fill('127.0.0.1');
  await page.getByTestId('modbus-port').fill(String(port));
  await page.getByTestId('modbus-pollMs').fill('200');
  await page.getByTestId('modbus-submit').click();
  await page.getByTestId('device-link-panel').waitFor();
  assert.equal(await page.getByTestId('link-address').innerText(), `tcp://127.0.0.1:${port}`);
  await page.getByText('23.5 °C').waitFor({ timeout: 5000 });

  // A coded value shows its label from the register map (the drive's run state 3 is "running").
  const vfdPort = await freePort();
  const vfd = await startPeer(tmp.dir, { units: { '1': unitFromFamily(VFD) } }, { tcp: vfdPort });
  try {
    const res = await page.request.post(`${t.httpUrl}/api/v1/modbus/devices`, { data: { id: 'vfd-web', siteId: 'site1', name: 'Drive', family: 'delta-vfd-e', unitId: 1, transport: 'tcp', host: '127.0.0.1', port: vfdPort, pollMs: 200 } });
    assert.equal(res.status(), 201);
    await page.goto(`${t.httpUrl}/#/device/vfd-web`);
    await page.getByText('3 (running)').waitFor({ timeout: 5000 });
  } finally {
    await vfd.stop();
  }

  // The same unit id again is refused with the server's coded message on the form.
  await page.goto(`${t.httpUrl}/#/modbus`);
  await page.getByTestId('modbus-id').fill('th-web2');
  await page.getByTestId('modbus-name').fill('Again');
  await page.getByTestId('modbus-host').fill('127.0.0.1');
  await page.getByTestId('modbus-port').fill(String(port));
  await page.getByTestId('modbus-submit').click();
  assert.match(await page.getByTestId('modbus-error').innerText(), /OUTPOST_CONFLICT: unit id 1 is already used/);

  await peer.stop();
  await page.goto(`${t.httpUrl}/#/device/th-web`);
  await page.getByTestId('link-error-code').waitFor({ timeout: 5000 });
  assert.match(await page.getByTestId('link-error-code').innerText(), /OUTPOST_MODBUS_(CONNECTION|TIMEOUT)/);
  assert.deepEqual(errors, []);
  await context.close();
});
