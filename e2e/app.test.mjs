// End-to-end tests of the release build in headless Chromium. Any console error fails a test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './serve.mjs';
import { launch, collectErrors, DIST, ARTIFACTS } from './browser.mjs';

let server;
let browser;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startServer(DIST);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page on the app, with its errors collected. */
async function open(viewport = { width: 1280, height: 720 }, deviceScaleFactor = 1) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url);
  const input = page.getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  return { page, errors, input, close: () => context.close() };
}

async function run(page, input, line) {
  const log = page.getByRole('log', { name: 'Terminal output' });
  const before = await log.locator('.block').count();
  await input.fill(line);
  await input.press('Enter');
  await assert.doesNotReject(log.locator('.block').nth(before).waitFor());
  return log.locator('.block').nth(before);
}

test('the app loads with its landmarks and no console error', async () => {
  const { page, errors, close } = await open();
  await page.getByRole('region', { name: 'Storage map' }).waitFor();
  // The log is empty (zero height) until the first command: attached is what counts.
  await page.getByRole('log', { name: 'Terminal output' }).waitFor({ state: 'attached' });
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Stowage');
  assert.equal(await page.title(), 'Stowage — Docker storage simulator');
  await page.screenshot({ path: join(ARTIFACTS, 'loaded.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('typing echo hi and Enter appends a block to the log', async () => {
  const { page, errors, input, close } = await open();
  const block = await run(page, input, 'echo hi');
  assert.equal(await block.locator('.cmd').textContent(), 'echo hi');
  assert.equal(await input.inputValue(), '');
  // Output is there, on stdout or (distinct) on stderr.
  assert.ok((await block.locator('.out, .err').count()) > 0, 'the command printed something');
  await run(page, input, 'docker run -d --name web demo/app:1.0 sleep 3600');
  await run(page, input, 'docker exec web sh -c \'echo blue > /etc/app/app.conf\'');
  await page.screenshot({ path: join(ARTIFACTS, 'app.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('at 200% zoom of 1280×720 the command line is reachable and works', async () => {
  const { page, errors, input, close } = await open({ width: 640, height: 360 }, 2);
  await input.focus();
  await page.keyboard.type('echo zoomed');
  await page.keyboard.press('Enter');
  await page.getByRole('log', { name: 'Terminal output' }).locator('.block').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: join(ARTIFACTS, 'zoom-200.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});

test('text size and theme are applied and remembered', async () => {
  const { page, errors, close } = await open();
  await page.getByRole('button', { name: 'Larger text' }).click();
  await page.getByRole('button', { name: 'Theme: dark' }).click();
  const html = page.locator('html');
  assert.equal(await html.getAttribute('data-theme'), 'dark');
  assert.match(await html.getAttribute('style'), /font-size:\s*112%/);
  await page.reload();
  await page.getByRole('textbox', { name: 'Command' }).waitFor();
  assert.equal(await html.getAttribute('data-theme'), 'dark');
  assert.equal(await page.getByRole('button', { name: 'Theme: dark' }).getAttribute('aria-pressed'), 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'dark.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('the explorer tab shows the explorer', async () => {
  const { page, errors, close } = await open();
  await page.getByRole('tab', { name: 'Explorer' }).click();
  await page.getByRole('region', { name: 'Explorer' }).waitFor();
  assert.equal(await page.getByRole('tab', { name: 'Explorer' }).getAttribute('aria-selected'), 'true');
  assert.deepEqual(errors, []);
  await close();
});
