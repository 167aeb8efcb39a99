// Benchmarks of the release build (dist/) in headless Chromium:
//  - transfer size of what a first visit loads (html, js, wasm, css), raw and gzip;
//  - time from navigation until the command line is usable (median over LOADS cold loads),
//    next to the same measure on a blank page (what the machine itself costs right now);
//  - Enter → DOM updated for each command (median over all commands of all loads).
// Run with `make bench` (it builds first). LOADS and COMMANDS can be set in the environment.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { availableParallelism, loadavg } from 'node:os';
import { startServer } from './serve.mjs';
import { launch, collectErrors, DIST } from './browser.mjs';

const LOADS = Number(process.env.LOADS ?? 15);
const COMMANDS = ['echo hi', 'docker ps', 'docker volume ls', 'ls -l', 'docker images', 'pwd', 'docker ps -a', 'id', 'cat /etc/hostname', 'docker volume create data'];
const PER_LOAD = Number(process.env.COMMANDS ?? COMMANDS.length);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

async function sizes() {
  const rows = [];
  for (const name of await readdir(DIST)) {
    if (!['.html', '.js', '.wasm', '.css'].includes(extname(name))) continue;
    const body = await readFile(join(DIST, name));
    rows.push({ name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return rows;
}

// In the page, before the app: note when the command line exists and can take focus, and
// time each Enter (keydown, seen first by a capturing listener on window) until the log changes.
function instrument() {
  const ready = () => {
    const input = document.querySelector('input[aria-label="Command"]');
    if (input && !input.disabled && input.getClientRects().length > 0) {
      window.__ready = performance.now();
      return true;
    }
    return false;
  };
  const watch = new MutationObserver(() => ready() && watch.disconnect());
  watch.observe(document, { childList: true, subtree: true });
  window.__enterTimes = [];
  let t0 = null;
  addEventListener('keydown', (e) => { if (e.key === 'Enter') t0 = performance.now(); }, true);
  const logWatch = new MutationObserver(() => {
    if (t0 !== null) { window.__enterTimes.push(performance.now() - t0); t0 = null; }
  });
  const hook = new MutationObserver(() => {
    const log = document.querySelector('[role="log"]');
    if (log) { logWatch.observe(log, { childList: true, subtree: true }); hook.disconnect(); }
  });
  hook.observe(document, { childList: true, subtree: true });
}

// The same harness on a blank page that only adds the input: the floor this machine sets
// right now (process start, navigation, scheduling), to read the app's numbers against.
const BLANK = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">const i = document.createElement('input'); i.setAttribute('aria-label', 'Command');
document.body.append(i);</script></head><body></body></html>`;

/** Navigates a fresh context to `url`; resolves to when its command input was usable. */
async function timeToInput(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript(instrument);
  await page.goto(url);
  await page.waitForFunction(() => window.__ready !== undefined);
  const ready = await page.evaluate(() => window.__ready);
  await context.close();
  return ready;
}

const server = await startServer(DIST);
const browser = await launch();
const blankDir = await mkdtemp(join(tmpdir(), 'stowage-blank-'));
await writeFile(join(blankDir, 'index.html'), BLANK);
const blankServer = await startServer(blankDir);
const blankTimes = [];
const loadBefore = loadavg()[0];
const readyTimes = [];
const afterHtml = [];
const enterTimes = [];
const errors = [];
try {
  for (let i = 0; i < LOADS; i++) {
    // Interleaved with the app's loads, so both see the same load on the machine.
    blankTimes.push(await timeToInput(browser, blankServer.url));
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.addInitScript(instrument);
    await page.goto(server.url);
    await page.waitForFunction(() => window.__ready !== undefined);
    const [ready, htmlEnd] = await page.evaluate(() => [window.__ready, performance.getEntriesByType('navigation')[0].responseEnd]);
    readyTimes.push(ready);
    afterHtml.push(ready - htmlEnd);
    const input = page.getByRole('textbox', { name: 'Command' });
    for (const command of COMMANDS.slice(0, PER_LOAD)) {
      await input.fill(command);
      const before = await page.evaluate(() => window.__enterTimes.length);
      await input.press('Enter');
      await page.waitForFunction((n) => window.__enterTimes.length > n, before);
    }
    enterTimes.push(...(await page.evaluate(() => window.__enterTimes)));
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  await blankServer.close();
  await rm(blankDir, { recursive: true });
}

const files = await sizes();
const raw = files.reduce((a, f) => a + f.raw, 0);
const gz = files.reduce((a, f) => a + f.gzip, 0);
console.log('\nRelease files (dist/)');
console.log('| file | raw | gzip |\n|---|---:|---:|');
for (const f of files) console.log(`| ${f.name} | ${kb(f.raw)} | ${kb(f.gzip)} |`);
console.log(`\nMedians in headless Chromium, ${LOADS} cold loads, ${enterTimes.length} commands` +
  ` (load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, ${availableParallelism()} cores)`);
console.log('| measure | value | budget | |\n|---|---:|---:|---|');
const row = (name, value, text, budget, budgetText) =>
  console.log(`| ${name} | ${text} | ${budgetText} | ${value <= budget ? 'ok' : 'OVER'} |`);
row('transfer, gzip (html+js+wasm+css)', gz, kb(gz), 350 * 1024, '350 KB');
console.log(`| transfer, raw | ${kb(raw)} | | |`);
row('command line usable after navigation', median(readyTimes), ms(median(readyTimes)), 250, '250 ms');
console.log(`| … of which after the HTML arrived | ${ms(median(afterHtml))} | | |`);
console.log(`| reference: a blank page's input, same harness | ${ms(median(blankTimes))} | | |`);
row('Enter → DOM updated', median(enterTimes), ms(median(enterTimes)), 5, '5 ms');
console.log(`| Enter → DOM updated, slowest | ${ms(Math.max(...enterTimes))} | | |`);
if (errors.length) {
  console.error('\nErrors on the page:\n' + errors.join('\n'));
  process.exit(1);
}
