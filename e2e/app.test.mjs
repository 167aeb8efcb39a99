// End-to-end tests of the release build in headless Chromium. Any console error fails a test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { startApp, collectErrors, ARTIFACTS } from './browser.mjs';
import { startServer } from './serve.mjs';
import { mkdtemp, writeFile, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let server;
let browser;
let app;

before(async () => {
  app = await startApp();
  ({ server, browser } = app);
});

after(() => app?.close());

/** A fresh page on the app, with its errors collected. */
async function open(viewport = { width: 1280, height: 720 }, deviceScaleFactor = 1, colorScheme = 'light') {
  const context = await browser.newContext({ viewport, deviceScaleFactor, colorScheme });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url);
  // The terminal's command line (the start-up screen has one too, until the app is up).
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  return { page, errors, input, close: () => context.close() };
}

/** A fresh page on `url` (the app with its query and hash), with its errors collected. */
async function openUrl(url, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' }).waitFor();
  return { page, errors, close: () => context.close() };
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
  // The wasm was compiled by the early script of the page (scripts/compile-early.mjs).
  assert.equal(await page.evaluate(async () => (await window.stowageWasm) instanceof WebAssembly.Module), true);
  assert.deepEqual(errors, []);
  await close();
});

test('the start-up screen takes commands at once; they run when the app is up, draft and focus kept', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  // Hold the wasm back while typing on the start-up screen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*_bg.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(server.url);
  await page.getByRole('status').filter({ hasText: 'starting the simulator' }).waitFor();
  const early = page.locator('#boot').getByRole('textbox', { name: 'Command' });
  // It has the focus already: typing needs no click.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'boot-input');
  await page.keyboard.type('echo early \\');
  await page.keyboard.press('Enter');
  await page.keyboard.type('bird');
  await page.keyboard.press('Enter');
  await page.keyboard.type('docker volume create typed');
  await page.keyboard.press('Enter');
  // Pasted lines are entered one by one; the rest stays in the input.
  await early.evaluate((el) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'echo pasted\ndocker volume ls');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.deepEqual(await page.locator('#boot-typed .cmd-line').allTextContents(),
    ['student@vm:~$ echo early \\', '> bird', 'student@vm:~$ docker volume create typed', 'student@vm:~$ echo pasted']);
  assert.equal(await early.inputValue(), 'docker volume ls');
  release();
  const terminal = page.getByRole('region', { name: 'Terminal' });
  const blocks = terminal.getByRole('log', { name: 'Terminal output' }).locator('.block');
  await blocks.nth(2).waitFor();
  assert.equal(await page.locator('#boot').count(), 0);
  assert.equal(await blocks.count(), 3);
  assert.equal(await blocks.nth(0).locator('.out').textContent(), 'early bird');
  assert.equal(await blocks.nth(1).locator('.out').textContent(), 'typed');
  assert.equal(await blocks.nth(2).locator('.out').textContent(), 'pasted');
  // The unfinished line moved to the terminal's command line, which has the focus: Enter runs it.
  const input = terminal.getByRole('textbox', { name: 'Command' });
  assert.equal(await input.inputValue(), 'docker volume ls');
  assert.equal(await input.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press('Enter');
  await blocks.nth(3).waitFor();
  assert.match(await blocks.nth(3).locator('.out').textContent(), /local\s+typed/);
  // ↑ recalls what was typed ahead.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.inputValue(), 'docker volume create typed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('when the wasm cannot be loaded, the start-up screen says so', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.route('**/*_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(server.url);
  const status = page.getByRole('status').filter({ hasText: 'could not start' });
  await status.waitFor();
  assert.equal(await status.textContent(), 'The simulator could not start (HTTP 404). Reload the page to try again.');
  await context.close();
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

test('a prune asks [y/N] and the next line answers it; the pull is shown before the id', async () => {
  const { page, errors, input, close } = await open();
  await run(page, input, 'docker run --name done1 busybox true');
  const asked = await run(page, input, 'docker container prune');
  assert.match(await asked.locator('.out').textContent(), /Are you sure you want to continue\? \[y\/N\] $/);
  const answered = await run(page, input, 'y');
  assert.match(await answered.locator('.out').textContent(), /^Deleted Containers:/);
  const listed = await run(page, input, 'docker ps -aq');
  assert.equal(await listed.locator('.out').count(), 0, 'nothing left to list');
  // stderr written first (the pull) is drawn before stdout (the id).
  const pulled = await run(page, input, 'docker run -d --name web nginx');
  const order = await pulled.evaluate((b) => [...b.querySelectorAll('.out, .err')].map((e) => e.className.split(' ')[0]));
  assert.deepEqual(order, ['err', 'out']);
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
  await page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' }).waitFor();
  assert.equal(await html.getAttribute('data-theme'), 'dark');
  assert.equal(await page.getByRole('button', { name: 'Theme: dark' }).getAttribute('aria-pressed'), 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'dark.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('the tabs switch between the storage map and the explorer, by mouse and by arrow keys', async () => {
  const { page, errors, close } = await open();
  const explorer = page.getByRole('tab', { name: 'Explorer' });
  const map = page.getByRole('tab', { name: 'Storage map' });
  await explorer.click();
  await page.getByRole('region', { name: 'Explorer' }).waitFor();
  assert.equal(await explorer.getAttribute('aria-selected'), 'true');
  await explorer.press('ArrowRight');
  await page.getByRole('region', { name: 'Storage map' }).waitFor();
  assert.equal(await map.getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-storage-map');
  await map.press('Home');
  await page.getByRole('region', { name: 'Explorer' }).waitFor();
  assert.deepEqual(errors, []);
  await close();
});

/** Serious and critical axe-core violations on the page as it is now. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  // Contrast is judged on what stays on screen: the map's step animations (a layer fading
  // in) finish first, or axe would measure a colour half-way.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => {})),
    ),
  );
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

for (const scheme of ['light', 'dark']) {
  test(`no serious accessibility violation (axe-core), ${scheme} theme`, async () => {
    const { page, errors, input, close } = await open(undefined, 1, scheme);
    await run(page, input, 'echo hi');
    assert.deepEqual(await axeViolations(page), [], 'storage map and terminal');
    await page.getByRole('tab', { name: 'Explorer' }).click();
    await page.getByRole('region', { name: 'Explorer' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'explorer');
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('compose');
    await page.getByRole('region', { name: 'Scenario guide' }).getByRole('button', { name: /^Run step 1:/ }).click();
    assert.deepEqual(await axeViolations(page), [], 'scenario guide');
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('heading', { name: 'Levels' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'lessons');
    assert.deepEqual(errors, []);
    await close();
  });
}

test('the keyboard reaches every control, with a visible focus', async () => {
  const { page, errors, close } = await open();
  const seen = [];
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const label = el.getAttribute('aria-label') || el.textContent.trim() || el.tagName;
      return { label, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    if (!focus) continue;
    if (seen.some((s) => s.label === focus.label)) break;
    seen.push(focus);
  }
  const labels = seen.map((s) => s.label);
  for (const name of ['Larger text', 'Theme: dark', 'Command', 'Pause', 'Storage map']) {
    assert.ok(labels.some((l) => l.includes(name)), `${name} is reachable by Tab (reached: ${labels.join(' | ')})`);
  }
  assert.deepEqual(seen.filter((s) => !s.outline).map((s) => s.label), [], 'every focused control shows an outline');
  assert.deepEqual(errors, []);
  await close();
});

test('the Lessons tab starts a lesson; a lesson whose steps all ran stays finished', async () => {
  const { page, errors, close } = await open({ width: 1600, height: 900 });
  await page.getByRole('tab', { name: 'Lessons' }).click();
  const panel = page.getByRole('tabpanel');
  const lesson = panel.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Read-only mounts' }) });
  await lesson.getByRole('button', { name: 'Start: Read-only mounts' }).click();
  // The machine starts over for it, the storage map shows, and its guide is on the left.
  assert.equal(await page.getByRole('combobox', { name: 'Scenario' }).inputValue(), 'read-only');
  assert.equal(await page.getByRole('tab', { name: 'Storage map' }).getAttribute('aria-selected'), 'true');
  const guide = page.getByRole('region', { name: 'Scenario guide' });
  const runs = guide.getByRole('button', { name: /^Run step/ });
  const count = await runs.count();
  for (let i = 0; i < count; i++) {
    await runs.nth(i).click();
    await page.getByRole('log', { name: 'Terminal output' }).locator('.block').nth(i).waitFor();
  }
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await assert.doesNotReject(lesson.getByText('finished', { exact: true }).waitFor());
  await page.screenshot({ path: join(ARTIFACTS, 'lessons.png') });
  // The guide of a finished lesson offers the next one.
  await guide.getByRole('status').filter({ hasText: 'Lesson finished.' }).waitFor();
  await guide.getByRole('button', { name: 'Next lesson: Who owns the files: UIDs and bind mounts' }).click();
  assert.equal(await page.getByRole('combobox', { name: 'Scenario' }).inputValue(), 'permissions');
  // Remembered: a new visit still shows the first one finished.
  await page.reload();
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await assert.doesNotReject(lesson.getByText('finished', { exact: true }).waitFor());
  assert.match(await panel.innerText(), /1 of 9 finished/);
  assert.deepEqual(errors, []);
  await close();
});

test('a trap in the simulator shows what happened, the command, and a way back without it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const errors = collectErrors(page);
  // `?test-trap` makes one line panic where an engine panic would (src/crash.rs).
  await page.goto(`${server.url}?test-trap`);
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  await run(page, input, 'echo before the trap');
  await input.fill('stowage-test-trap');
  await input.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Stowage stopped' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /internal error while running your last command/);
  assert.equal(await dialog.locator('#crash-line').textContent(), 'stowage-test-trap');
  // The way back: the session's link without the failing line, focused.
  const reopen = dialog.getByRole('link', { name: 'Reopen without this command' });
  const href = await reopen.getAttribute('href');
  assert.ok(href.includes('?test-trap#run=echo%20before%20the%20trap'), href);
  assert.ok(!href.includes('stowage-test-trap'), href);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Reopen without this command');
  // The rest of the page is out of reach until then.
  assert.equal(await page.locator('#app').getAttribute('inert'), '');
  await page.screenshot({ path: join(ARTIFACTS, 'crash.png') });
  assert.deepEqual(await axeViolations(page), [], 'crash screen');
  // The failing line, for a bug report.
  await dialog.getByRole('button', { name: 'Copy the command for a bug report' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  const report = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(report, /^Stowage stopped while running:\nstowage-test-trap\n/);
  assert.match(report, /Error: panicked at [\s\S]*the test trap was run/);
  // The trap itself is the only error on the page: the panic on the console, the trap uncaught.
  assert.ok(errors.some((e) => /unreachable/i.test(e)), errors.join('\n'));
  assert.ok(errors.every((e) => /unreachable|the test trap was run/i.test(e)), errors.join('\n'));
  errors.length = 0;
  // Reopening replays the earlier line on a fresh machine.
  await reopen.click();
  const log = page.getByRole('log', { name: 'Terminal output' });
  await log.locator('.block').first().waitFor();
  assert.match(await log.textContent(), /before the trap/);
  assert.equal(await page.getByRole('alertdialog').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a level is judged on the machine: goals tick as it changes, a hint, Solved, the solution player', async () => {
  const { page, errors, input, close } = await open();
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: 'Play level: A volume outlives its container' }).click();
  const goals = page.getByRole('list', { name: 'Goals' });
  await goals.waitFor();
  const items = goals.getByRole('listitem');
  const states = async () => (await items.allTextContents()).map((t) => (t.endsWith('to do') ? 'to do' : t.endsWith('done') ? 'done' : t));
  // No container named writer yet: that goal holds; the volume and the reader do not.
  assert.deepEqual(await states(), ['done', 'to do', 'to do']);
  // A solution of the learner's own, not the reference one (busybox, an explicit volume).
  await run(page, input, 'docker volume create notes');
  await run(page, input, "docker run --name writer -v notes:/data busybox sh -c 'echo remember > /data/notes.txt'");
  assert.deepEqual(await states(), ['to do', 'done', 'to do'], 'writer exists now; the notes are in the volume');
  // Predict, then run: the question comes once the notes are in the volume.
  const prediction = page.getByRole('group', { name: 'Prediction' });
  await prediction.getByRole('radio', { name: 'Yes, the volume and the notes stay.' }).check();
  assert.match(await prediction.textContent(), /Your prediction: Yes, the volume and the notes stay\. Go on and see\./);
  await page.getByRole('button', { name: 'Hint', exact: true }).click();
  assert.equal(await page.getByRole('list', { name: 'Hints' }).getByRole('listitem').count(), 1);
  await run(page, input, 'docker rm writer');
  await run(page, input, 'docker run -d --name reader -v notes:/data busybox sleep 3600');
  assert.deepEqual(await states(), ['done', 'done', 'done']);
  assert.match(await prediction.textContent(), /Right\. What happened: Yes, the volume and the notes stay\./);
  const solved = page.getByRole('status').filter({ hasText: 'Solved' });
  await solved.waitFor();
  assert.match(await solved.textContent(), /Solved in 4 lines \(par 3\)\. Predictions right: 1 of 1\./);
  await page.waitForFunction(() => location.hash.startsWith('#level=volume-outlives-container&run='));
  await page.screenshot({ path: join(ARTIFACTS, 'level-solved.png') });
  assert.deepEqual(await axeViolations(page), [], 'level screen');
  // Undo takes the last line back: the goal un-ticks.
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.deepEqual(await states(), ['done', 'done', 'to do']);
  // The solution player starts over and types the reference solution.
  await page.getByRole('button', { name: 'Show solution' }).click();
  await page.getByRole('status').filter({ hasText: 'Solved (solution shown)' }).waitFor();
  const log = page.getByRole('log', { name: 'Terminal output' });
  assert.equal(await log.locator('.block').count(), 3);
  assert.match(await log.textContent(), /docker run -d --name reader -v notes:\/data demo\/app:1\.0 sleep 3600/);
  // Solved by hand is remembered (the shown solution does not take its place), after a reload too.
  await page.reload();
  await page.getByRole('tab', { name: 'Lessons' }).click();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'A volume outlives its container' }) });
  assert.match(await item.textContent(), /solved/);
  assert.match(await page.locator('section[aria-labelledby=levels-title] .sub').textContent(), /^1 of 20 solved/);
  assert.deepEqual(errors, []);
  await close();
});

test("a teacher's level opens from its link, and a trap says what went wrong", async () => {
  // The link `stowage level link FILE` prints: the YAML, raw-deflated, base64url.
  const yaml = [
    'id: my-own', 'track: beginner', 'title: Keep the greeting', 'story: |',
    '  Write hello into the volume greet, in a file hi.txt, and keep it.',
    'goals:', '  - volume: greet', '    holds: /hi.txt', '    containing: hello', '    text: greet holds hi.txt',
    'traps:', '  - when: { container: left, is: present }', '    hint: <b>left</b> stayed behind; `docker rm left` is fine.',
    'hints: [Use a volume., "docker run --rm -v greet:/d busybox sh -c \'echo hello > /d/hi.txt\'"]',
    'solution:', "  - docker run --rm -v greet:/d busybox sh -c 'echo hello > /d/hi.txt'",
    'wrong:', '  - note: a container left behind', '    lines: [docker run --name left busybox true]',
  ].join('\n');
  const data = deflateRawSync(Buffer.from(yaml)).toString('base64url');
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}#level-text=${data}`);
  await page.getByRole('heading', { name: 'Keep the greeting' }).waitFor();
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  const goals = page.getByRole('list', { name: 'Goals' });
  assert.match(await goals.textContent(), /greet holds hi\.txt\s*to do/);
  // A trap, recognised by the state: its text is shown as text, never as HTML.
  await run(page, input, 'docker run --name left busybox true');
  const trap = page.locator('.traps');
  await trap.waitFor();
  assert.match(await trap.textContent(), /<b>left<\/b> stayed behind/);
  assert.equal(await trap.locator('b').count(), 0);
  await run(page, input, 'docker rm left');
  await trap.waitFor({ state: 'detached' });
  await run(page, input, "docker run --rm -v greet:/d busybox sh -c 'echo hello > /d/hi.txt'");
  await page.getByRole('status').filter({ hasText: 'Solved' }).waitFor();
  // The session's own link carries the level on, with the lines run.
  await page.waitForFunction((d) => location.hash.startsWith(`#level-text=${d}&run=`), data);
  // A damaged link says so, and the app goes on as the sandbox.
  await page.goto(`${server.url}#level-text=${data.slice(0, 40)}`);
  await page.reload();
  await page.getByText('The level in this link could not be read: the link is damaged or cut short (copy it whole)').waitFor();
  assert.equal(await page.getByRole('list', { name: 'Goals' }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone (390×844, touch) nothing overflows, every tab and control is reachable, and a command runs', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
    // Sizes as laid out, not mid-animation (a card that just appeared is scaled while it pops in).
    reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url);
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  await input.tap();
  await input.fill('docker run -d --name web -v webdata:/data demo/app:1.0 sleep 3600');
  await input.press('Enter');
  await page.getByRole('log', { name: 'Terminal output' }).locator('.block').first().waitFor();
  for (const [tab, panelText] of [['Explorer', /web/], ['Lessons', /Levels/], ['Storage map', /webdata/]]) {
    const button = page.getByRole('tab', { name: tab });
    await button.scrollIntoViewIfNeeded();
    await button.tap();
    assert.equal(await button.getAttribute('aria-selected'), 'true', `${tab} is selected by a tap`);
    assert.match(await page.getByRole('tabpanel').innerText(), panelText);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on ${tab} (overflow ${overflow}px)`);
  }
  // Every visible control is a target of at least 24×24 CSS px (WCAG 2.5.8).
  const small = await page.evaluate(() => [...document.querySelectorAll('button, select, input, [role="tab"], a[href]')]
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => r.width < 24 || r.height < 24)
    .map(({ el, r }) => `${el.getAttribute('aria-label') || el.textContent.trim() || el.tagName} ${Math.round(r.width)}×${Math.round(r.height)}`));
  assert.deepEqual(small, [], 'targets under 24 px');
  await page.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

// 200% browser zoom of 1280×720 is a 640×360 window at device scale 2.
for (const [what, viewport, scale] of [['the largest text size', { width: 1280, height: 720 }, 1], ['200% browser zoom', { width: 640, height: 360 }, 2]]) {
  test(`at 1280×720 with ${what}, the terminal, the map and the narration caption are on screen together`, async () => {
    const { page, errors, input, close } = await open(viewport, scale);
    if (scale === 1) {
      const larger = page.getByRole('button', { name: 'Larger text' });
      while (await larger.isEnabled()) await larger.click();
    }
    await run(page, input, 'docker run -d --name web -v webdata:/data demo/app:1.0 sleep 3600');
    // How much of an element (in CSS px) the window shows, across and down.
    const shown = async (locator) => {
      const box = await locator.boundingBox();
      const { width, height } = page.viewportSize();
      if (box === null) return [0, 0];
      return [Math.min(box.x + box.width, width) - Math.max(box.x, 0), Math.min(box.y + box.height, height) - Math.max(box.y, 0)];
    };
    const whole = async (locator, what) => {
      const box = await locator.boundingBox();
      assert.deepEqual(await shown(locator), [box.width, box.height], `${what} wholly on screen`);
    };
    const caption = page.getByRole('region', { name: 'Narration' }).locator('.caption');
    await whole(input, 'the command line');
    await whole(caption, 'the caption');
    const [mapWide, mapHigh] = await shown(page.getByRole('region', { name: 'Storage map' }));
    assert.ok(mapWide >= 200 && mapHigh >= 80, `a useful part of the map on screen (${mapWide}×${mapHigh})`);
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'without scrolling the page');
    await page.screenshot({ path: join(ARTIFACTS, `together-${scale === 1 ? 'largest-text' : 'zoom-200'}.png`) });
    assert.deepEqual(errors, []);
    await close();
  });
}

test('the handle between terminal and map widens the terminal by keyboard and by drag, so docker ps fits', async () => {
  const { page, errors, input, close } = await open();
  const handle = page.getByRole('separator', { name: 'Terminal width' });
  const terminal = page.getByRole('region', { name: 'Terminal' });
  const before = (await terminal.boundingBox()).width;
  // Dragged to the middle of the window.
  const box = await handle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 50);
  await page.mouse.down();
  await page.mouse.move(640, box.y + 80, { steps: 5 });
  await page.mouse.up();
  assert.equal(await handle.getAttribute('aria-valuenow'), '50');
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await handle.getAttribute('aria-valuenow'), '47');
  await page.keyboard.press('End');
  assert.equal(await handle.getAttribute('aria-valuenow'), '80');
  const widest = (await terminal.boundingBox()).width;
  assert.ok(widest > before + 400, `the terminal grew from ${before} to ${widest} px`);
  // At the widest, each row of `docker ps` is drawn on one line.
  await run(page, input, 'docker run -d --name web demo/app:1.0 sleep 3600');
  const ps = await run(page, input, 'docker ps');
  const [rows, drawn] = await ps.locator('pre.out').evaluate((pre) => {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return [pre.textContent.split('\n').length, tops.size];
  });
  assert.equal(rows, 2);
  assert.equal(drawn, rows, 'no docker ps row wraps');
  await page.screenshot({ path: join(ARTIFACTS, 'wide-terminal.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('embedded in another origin\'s page: messages run commands and report back; the page keeps its scroll and focus; other origins are ignored', async () => {
  // The host page, on its own origin (another port), with two frames low on a tall page: one
  // open to any parent, one that takes messages only from an origin the page does not have.
  const dir = await mkdtemp(join(tmpdir(), 'stowage-host-'));
  const app = server.url;
  await writeFile(join(dir, 'host.html'), `<!doctype html><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,">
    <input id="mine" aria-label="Host input"><div style="height:1600px">A tutorial's text.</div>
    <iframe id="open" title="Stowage" src="${app}?embed&view=both#scenario=sandbox" width="900" height="480"></iframe>
    <iframe id="strict" title="Stowage strict" src="${app}?embed&view=terminal&origin=http%3A%2F%2Fexample.org" width="600" height="420"></iframe>
    <script>
      window.replies = { open: [], strict: [] };
      addEventListener('message', (e) => {
        for (const id of ['open', 'strict']) if (e.source === document.getElementById(id).contentWindow) window.replies[id].push(e.data);
      });
      document.getElementById('mine').focus();
    </script>`);
  const host = await startServer(dir);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${host.url}host.html`);
  await page.waitForFunction(() => window.replies.open.some((m) => m.type === 'stowage:ready'));
  // (The strict frame replies only to its own origin: this page never hears from it.)
  await page.frameLocator('#strict').getByRole('region', { name: 'Terminal' }).waitFor();
  // Loading the frames moved nothing of the host page.
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'the host page did not scroll');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'mine', 'the host page kept its focus');
  // Commands in, results out, in order.
  await page.evaluate(() => {
    const open = document.getElementById('open').contentWindow;
    open.postMessage({ type: 'stowage:run', command: 'docker volume create notes', id: 1 }, '*');
    open.postMessage({ type: 'stowage:run', command: 'docker volume rm nothere', id: 'two' }, '*');
    open.postMessage({ type: 'stowage:eval', code: 'alert(1)' }, '*');
  });
  await page.waitForFunction(() => window.replies.open.filter((m) => m.type === 'stowage:ran').length === 2);
  const ran = await page.evaluate(() => window.replies.open.filter((m) => m.type === 'stowage:ran'));
  assert.deepEqual(ran.map((r) => [r.id, r.command, r.exitCode]), [[1, 'docker volume create notes', 0], ['two', 'docker volume rm nothere', 1]]);
  assert.equal(ran[0].stdout, 'notes\n');
  assert.match(ran[1].stderr, /Error response from daemon: get nothere: no such volume/);
  // Its size is told once it renders (Chromium does not render a cross-origin frame out of view).
  await page.locator('#open').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.replies.open.some((m) => m.type === 'stowage:resize' && m.height > 0));
  // Typed into the terminal, visibly; the map shows the volume.
  const frame = page.frameLocator('#open');
  assert.match(await frame.getByRole('log', { name: 'Terminal output' }).innerText(), /docker volume create notes[\s\S]*docker volume rm nothere/);
  await frame.getByRole('group', { name: 'notes', exact: true }).waitFor();
  // The strict frame ignores this page: its origin is not the one it was given.
  await page.evaluate(() => document.getElementById('strict').contentWindow.postMessage({ type: 'stowage:run', command: 'echo no', id: 3 }, '*'));
  await page.waitForTimeout(800);
  assert.deepEqual((await page.evaluate(() => window.replies.strict)).filter((m) => m.type === 'stowage:ran'), []);
  assert.equal(await page.frameLocator('#strict').getByRole('log', { name: 'Terminal output' }).locator('.block').count(), 0);
  // Reset starts over.
  await page.evaluate(() => document.getElementById('open').contentWindow.postMessage({ type: 'stowage:reset' }, '*'));
  await frame.getByRole('log', { name: 'Terminal output' }).locator('.block').first().waitFor({ state: 'detached' });
  await page.screenshot({ path: join(ARTIFACTS, 'embed-host.png'), fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
  await host.close();
  await rm(dir, { recursive: true });
});

test('embedded at 360×420: terminal and map fill the frame, the menu starts over and opens the whole app', async () => {
  const { page, errors, close } = await openUrl(`${server.url}?embed&theme=dark#scenario=sandbox`, { width: 360, height: 420 });
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.notEqual(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Command', 'no focus taken');
  await run(page, input, 'docker volume create data');
  assert.equal(await page.getByRole('banner').count() + await page.locator('.topbar').count(), 1, 'the embed bar only');
  const overflow = await page.evaluate(() => [document.documentElement.scrollWidth - innerWidth, document.documentElement.scrollHeight - innerHeight]);
  assert.deepEqual(overflow.map((o) => o <= 0), [true, true], `fills the frame without scrolling (${overflow})`);
  assert.ok((await page.getByRole('region', { name: 'Storage map' }).boundingBox()).height > 80);
  await page.getByText('Menu').click();
  const full = page.getByRole('link', { name: 'Open in Stowage' });
  assert.match(await full.getAttribute('href'), /^http:\/\/127\.0\.0\.1:\d+\/#run=docker%20volume%20create%20data$/);
  await page.getByRole('button', { name: 'Start over' }).click();
  await page.getByRole('log', { name: 'Terminal output' }).locator('.block').first().waitFor({ state: 'detached' });
  await page.screenshot({ path: join(ARTIFACTS, 'embed-small.png') });
  assert.deepEqual(await axeViolations(page), [], 'embedded screen');
  assert.deepEqual(errors, []);
  await close();
});

test('embed.js turns a tutorial page\'s code blocks into runnable ones, sharing one Stowage', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stowage-tutorial-'));
  await writeFile(join(dir, 'page.html'), `<!doctype html><html lang="en"><meta charset="utf-8"><title>A tutorial</title><link rel="icon" href="data:,">
    <main><h1>Volumes</h1>
    <pre data-stowage># make a volume and write to it
$ docker volume create notes
docker run --rm -v notes:/data busybox \\
  sh -c 'echo hi &gt; /data/f'
cat &lt;&lt;EOF
a here-document
EOF</pre>
    <p>Removing a volume that does not exist fails:</p>
    <pre data-stowage>docker volume rm nothere</pre></main>
    <script src="${server.url}embed.js" defer></script>`);
  const host = await startServer(dir);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${host.url}page.html`);
  const first = page.getByRole('button', { name: 'Run in Stowage: docker volume create notes and 2 more' });
  await first.click();
  const statuses = page.locator('.stowage-run [role=status]');
  await page.waitForFunction(() => document.querySelector('.stowage-run [role=status]')?.textContent === '✓ ran (exit 0)', null, { timeout: 15000 });
  assert.equal(await page.locator('iframe.stowage-frame').count(), 1, 'one Stowage for the page');
  const frame = page.frameLocator('iframe.stowage-frame');
  const blocks = frame.getByRole('log', { name: 'Terminal output' }).locator('.block');
  assert.equal(await blocks.count(), 3, 'the continuation line and the here-document joined, the comment skipped');
  assert.match(await blocks.nth(2).innerText(), /a here-document/);
  await frame.getByRole('group', { name: 'notes', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Run in Stowage: docker volume rm nothere' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.stowage-run [role=status]')[1]?.textContent === 'finished: exit 1');
  assert.equal(await statuses.count(), 2);
  await page.screenshot({ path: join(ARTIFACTS, 'embed-tutorial.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
  await host.close();
  await rm(dir, { recursive: true });
});

test('the live tutorial: every block runs in order in the simulator beside the text, the map following', async () => {
  const { page, errors, close } = await openTutorial({ width: 1280, height: 800 });
  const buttons = page.locator('.stowage-run button');
  const statuses = page.locator('.stowage-run [role=status]');
  const frame = page.frameLocator('iframe.stowage-frame');
  const log = frame.getByRole('log', { name: 'Terminal output' });
  const count = await buttons.count();
  assert.ok(count >= 9, `a block or more per section (${count})`);
  const sectionOf = async (i) => buttons.nth(i).evaluate((b) => {
    let el = b.closest('.stowage-run');
    while (el && el.tagName !== 'H2') el = el.previousElementSibling;
    return el?.id;
  });
  for (let i = 0; i < count; i++) {
    await buttons.nth(i).click();
    await page.waitForFunction((i) => /exit/.test(document.querySelectorAll('.stowage-run [role=status]')[i].textContent), i, { timeout: 30000 });
    const section = await sectionOf(i);
    if (section === 'volumes') {
      assert.match(await log.innerText(), /kept on a volume/, 'the row survived its container');
      await frame.getByRole('group', { name: 'my-db-data', exact: true }).waitFor();
    }
    if (section === 'readonly') {
      assert.equal(await statuses.nth(i).textContent(), 'finished: exit 1, 0');
      assert.match(await log.innerText(), /touch: \/etc\/app\/new\.conf: Read-only file system/);
    }
  }
  assert.equal(await statuses.first().textContent(), 'finished: exit 0, 0, 0, 0, 1', 'the draft is gone with its container');
  assert.deepEqual(await axeViolations(page), [], 'tutorial.html');
  assert.deepEqual(errors, []);
  await close();
});

test('the live tutorial on a phone: the simulator stays in view above the text, nothing overflows', async () => {
  const { page, errors, close } = await openTutorial({ width: 390, height: 844 });
  await page.locator('.stowage-run button').first().click();
  await page.waitForFunction(() => /exit/.test(document.querySelector('.stowage-run [role=status]').textContent), null, { timeout: 30000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
  await page.evaluate(() => window.scrollTo(0, 2000));
  const box = await page.locator('iframe.stowage-frame').boundingBox();
  assert.ok(box.y >= 0 && box.y < 50 && box.height > 250, `the simulator stays at the top (${JSON.stringify(box)})`);
  await page.screenshot({ path: join(ARTIFACTS, 'tutorial-phone.png') });
  assert.deepEqual(errors, []);
  await close();
});

/** The live tutorial page (tutorial.html, from dist/), with its errors collected. */
async function openTutorial(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}tutorial.html`);
  await page.locator('.stowage-run button').first().waitFor();
  return { page, errors, close: () => context.close() };
}

test('Export as script downloads the session for a real Docker host: a warning first, a container shell as docker exec', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}#scenario=tmpfs`);
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  for (const line of ['docker run -it --name box busybox sh', 'echo hi > /tmp/f', 'exit', 'docker ps -a']) await run(page, input, line);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as script' }).click()]);
  assert.equal(download.suggestedFilename(), 'stowage-session.sh');
  const text = await readFile(await download.path(), 'utf8');
  assert.match(text, /^#!\/bin\/sh\n# Exported from Stowage[\s\S]*WARNING: this script changes YOUR Docker/);
  assert.match(text, /# Session: tmpfs/i);
  assert.match(text, /docker run -d -it --name box busybox sh > \/dev\/null\ndocker exec box sh -c 'echo hi > \/tmp\/f'\n# \(exit: leaves the shell in box\)\ndocker stop box > \/dev\/null\ndocker ps -a\n$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a link to a scenario or level that does not exist says so in the terminal, and every run= runs', async () => {
  const { page, errors, close } = await openUrl(`${server.url}#scenario=nope&run=echo%20one&run=echo%20two`, { width: 1280, height: 720 });
  const terminal = page.getByRole('region', { name: 'Terminal' });
  await terminal.getByText('This link asks for a scenario called "nope"; there is none: here is the sandbox.').waitFor();
  const log = page.getByRole('log', { name: 'Terminal output' });
  await log.locator('.block').nth(1).waitFor();
  assert.match(await log.innerText(), /echo one\s+one[\s\S]*echo two\s+two/);
  await page.goto(`${server.url}#level=nope`);
  await page.reload();
  await terminal.getByText('This link asks for a level called "nope"; there is none: here is the sandbox.').waitFor();
  assert.deepEqual(errors, []);
  await close();
});
