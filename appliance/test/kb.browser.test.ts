// The knowledge base in a real browser (Debian chromium via playwright-core): search in Chinese with highlights, the
// article page, and the suggestions panel on a work order for the demo pump.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startBox, ADMIN_PW, type TestBox } from './helpers.ts';
import { createDemo } from '../src/modules/demo/index.ts';
import { createLogger } from '../src/core/index.ts';

const CHROMIUM = '/usr/bin/chromium';
let tb: TestBox;
let browser: Browser;
let ticketId = '';

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  tb = await startBox();
  // The demo's site and manuals, without its simulator: the page is what is under test.
  await createDemo({ registry: tb.box.registry, kb: tb.box.kb, logger: createLogger('silent') }, { enabled: true, speedup: 1 }).seed();
  ticketId = tb.box.tickets.openManual({ siteId: 'demo-plant', assetId: 'pump-p101', category: 'mechanical', urgency: 'MAJOR', title: '轴承温度过高，有异响', actor: 'admin' }).id;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await tb?.stop();
});

test('search 轴承 in the Chinese dashboard, read the article, see the suggestions on the pump work order', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  try {
    await page.goto(`${tb.httpUrl}/`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PW);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-kb').click();
    // The page translates itself once its dictionaries load: wait for that (it never comes if zh-CN is broken).
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-kb"]')?.textContent === '知识库', null, { timeout: 10_000 }).catch(() => {});
    assert.equal(await page.getByTestId('nav-kb').textContent(), '知识库');
    await page.getByTestId('kb-query').fill('轴承');
    await page.getByTestId('kb-result').first().waitFor();
    if (process.env.KB_SCREENSHOT) await page.screenshot({ path: `${process.env.KB_SCREENSHOT}/kb-search.png` });
    const marks = await page.locator('[data-testid="kb-result"] mark').allTextContents();
    assert.ok(marks.length > 0 && marks.every((m) => m === '轴承'), JSON.stringify(marks));
    assert.match(page.url(), /#\/kb\?q=%E8%BD%B4%E6%89%BF/);
    // Language filter: English articles only (the bilingual ones count as both).
    await page.getByTestId('kb-query').fill('bearing');
    await page.getByTestId('kb-lang').selectOption('en');
    await page.waitForFunction(() => document.querySelector('[data-testid="kb-result"] mark')?.textContent?.toLowerCase().startsWith('bearing'));
    await page.getByTestId('kb-query').fill('zzqx');
    await page.getByTestId('kb-empty').waitFor();

    await page.getByTestId('kb-query').fill('E-07');
    await page.getByTestId('kb-result-title').first().click();
    await page.getByTestId('kb-article').waitFor();
    assert.match(await page.getByTestId('kb-article-title').textContent() ?? '', /E-07/);
    assert.match(await page.getByTestId('kb-article-body').textContent() ?? '', /(盘车|by hand)/);
    if (process.env.KB_SCREENSHOT) await page.screenshot({ path: `${process.env.KB_SCREENSHOT}/kb-article.png` });

    await page.goto(`${tb.httpUrl}/#/ticket/${ticketId}`);
    await page.getByTestId('kb-suggestion').first().waitFor();
    assert.match(await page.getByTestId('kb-suggestion').first().textContent() ?? '', /轴承温度过高/);
    assert.equal(await page.locator('[data-testid="kb-steps"] li').count(), 5);
    assert.match(await page.getByTestId('kb-parts').textContent() ?? '', /BRG-6309-2Z/);
    // KB_SCREENSHOT=<dir> keeps pictures of the pages for a person to look at.
    if (process.env.KB_SCREENSHOT) await page.getByTestId('ticket-kb').screenshot({ path: `${process.env.KB_SCREENSHOT}/kb-ticket-panel.png` });
    await page.getByTestId('kb-suggestion').first().locator('a').click();
    await page.getByTestId('kb-article').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
