// End-to-end scenarios with the real engine: what the storage map shows after real commands.
// Any console error fails a test; screenshots go to artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApp, collectErrors, ARTIFACTS } from './browser.mjs';

let server;
let browser;
let app;

before(async () => {
  app = await startApp();
  ({ server, browser } = app);
});

after(() => app?.close());

async function open(contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url);
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  const map = page.getByRole('region', { name: 'Storage map' });
  return { page, errors, input, map, close: () => context.close() };
}

/** Runs a line and returns the text of its block in the terminal log. */
async function run(page, input, line) {
  const log = page.getByRole('log', { name: 'Terminal output' });
  const before = await log.locator('.block').count();
  await input.fill(line);
  await input.press('Enter');
  const block = log.locator('.block').nth(before);
  await block.waitFor();
  return block.innerText();
}

test('a volume outlives the container that wrote it', async () => {
  const { page, errors, input, map, close } = await open();
  await run(page, input, 'docker volume create shared-data');
  await run(page, input, "docker run --name writer -v shared-data:/data busybox sh -c 'echo persisted > /data/f.txt'");
  await assert.doesNotReject(map.getByText('writer', { exact: true }).first().waitFor());
  await run(page, input, 'docker rm writer');
  await assert.doesNotReject(map.getByText('writer', { exact: true }).waitFor({ state: 'detached', timeout: 15000 }));
  assert.match(await map.innerText(), /shared-data/);
  const out = await run(page, input, 'docker run --rm -v shared-data:/data busybox cat /data/f.txt');
  assert.match(out, /persisted/);
  await page.screenshot({ path: join(ARTIFACTS, 'volume-survives.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('a write to a read-only mount is refused', async () => {
  const { page, errors, input, map, close } = await open();
  const out = await run(page, input, 'docker run --rm -v rodata:/data:ro demo/app:1.0 touch /data/f');
  assert.match(out, /touch: \/data\/f: Read-only file system/);
  assert.match(out, /exit 1/);
  assert.match(await map.innerText(), /rodata/);
  await page.screenshot({ path: join(ARTIFACTS, 'read-only.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('editing an image file copies it up into the writable layer', async () => {
  const { page, errors, input, map, close } = await open();
  await run(page, input, 'docker run -d --name cu demo/app:1.0 sleep 3600');
  await run(page, input, "docker exec cu sh -c 'echo red > /etc/app/app.conf'");
  await assert.doesNotReject(map.getByText('/etc/app/app.conf').first().waitFor());
  assert.match(await map.innerText(), /writable layer \(container cu\)/);
  await page.screenshot({ path: join(ARTIFACTS, 'copy-up.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('docker stop empties a tmpfs', async () => {
  const { page, errors, input, map, close } = await open();
  await run(page, input, 'docker run -d --name tm --tmpfs /cache demo/app:1.0 sleep 3600');
  await run(page, input, "docker exec tm sh -c 'echo hello > /cache/x'");
  await assert.doesNotReject(map.getByText('6 B used', { exact: false }).first().waitFor());
  await run(page, input, 'docker stop tm');
  await assert.doesNotReject(map.getByText('0 B used', { exact: false }).first().waitFor());
  // The card, named by the container, says its state in Docker's words.
  const card = map.getByRole('article', { name: 'tm', exact: true });
  await assert.doesNotReject(card.getByText('exited (137)').waitFor());
  await page.screenshot({ path: join(ARTIFACTS, 'tmpfs-emptied.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('the explorer tells where each file of a container comes from', async () => {
  const { page, errors, input, close } = await open();
  await run(page, input, 'docker run -d --name ex demo/app:1.0 sleep 3600');
  await run(page, input, "docker exec ex sh -c 'echo red > /etc/app/app.conf'");
  await page.getByRole('tab', { name: 'Explorer' }).click();
  const explorer = page.getByRole('region', { name: 'Explorer' });
  await explorer.getByLabel('Look at').selectOption('c:ex');
  await explorer.locator('tr.entry button', { hasText: 'etc' }).first().click();
  await explorer.locator('tr.entry button', { hasText: 'app' }).first().click();
  const copied = explorer.locator('tr.entry', { hasText: 'app.conf' });
  const untouched = explorer.locator('tr.entry', { hasText: 'obsolete.txt' });
  await copied.waitFor();
  assert.match(await copied.innerText(), /writable layer/);
  assert.match(await untouched.innerText(), /image layer L2/);
  await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('a scenario starts over prepared, and its guide runs the steps: postgres rows outlive their container', async () => {
  const { page, errors, input, map, close } = await open();
  await run(page, input, 'echo from the sandbox');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('postgres');
  const guide = page.getByRole('region', { name: 'Scenario guide' });
  await guide.waitFor();
  assert.equal(await page.getByRole('log', { name: 'Terminal output' }).locator('.block').count(), 0);
  await page.waitForFunction(() => location.hash === '#scenario=postgres');
  const steps = guide.locator('.guide-step');
  const stepCount = await steps.count();
  for (let i = 0; i < 8; i++) {
    await guide.getByRole('button', { name: new RegExp(`^Run step ${i + 1}:`) }).click();
    await guide.locator('.guide-step.done').nth(i).waitFor();
  }
  const log = page.getByRole('log', { name: 'Terminal output' });
  assert.match(await log.locator('.block').last().innerText(), /kept on a volume/);
  assert.match(await map.innerText(), /my-db-data/);
  assert.equal(await steps.nth(8).getAttribute('aria-current'), 'step');
  assert.ok(stepCount > 8);
  await page.screenshot({ path: join(ARTIFACTS, 'scenario-postgres.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('the address shares the session: a link opens the scenario and replays its lines', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}#scenario=live-code&run=echo%20from%20the%20link%20%3E%20~%2Fmy-app%2Fnote.txt`);
  const input = page.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' });
  await input.waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Scenario' }).inputValue(), 'live-code');
  const log = page.getByRole('log', { name: 'Terminal output' });
  await log.locator('.block').first().waitFor();
  assert.match(await log.locator('.block').first().innerText(), /echo from the link/);
  const out = await run(page, input, 'ls ~/my-app');
  assert.match(out, /Dockerfile[\s\S]*app\.py[\s\S]*note\.txt[\s\S]*requirements\.txt/);
  // The address now carries both lines, ready to be shared.
  await page.waitForFunction(() => location.hash.includes('run=echo') && location.hash.includes('ls%20'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('Undo brings back a removed container; Share copies a link that rebuilds the session', async () => {
  const { page, errors, input, map, close } = await open({ permissions: ['clipboard-read', 'clipboard-write'] });
  await run(page, input, 'docker run -d --name web demo/app:1.0 sleep 3600');
  await run(page, input, "docker exec web sh -c 'echo blue > /etc/app/app.conf'");
  await run(page, input, 'docker rm -f web');
  // Its card dissolves: the writable layer is thrown away with the container.
  const gone = map.getByText('thrown away with the container');
  await assert.doesNotReject(gone.waitFor());
  await page.getByRole('button', { name: 'Undo' }).click();
  // The container is back, with the file it copied up into its writable layer.
  await assert.doesNotReject(gone.waitFor({ state: 'detached' }));
  await assert.doesNotReject(map.getByText('web', { exact: true }).first().waitFor());
  await assert.doesNotReject(map.locator('.writable').getByText('/etc/app/app.conf').first().waitFor());
  assert.match(await page.getByRole('status').filter({ hasText: 'Undone' }).innerText(), /Undone: docker rm -f web/);
  assert.match(await page.locator('.block.is-undone').innerText(), /docker rm -f web[\s\S]*undone/);
  await page.screenshot({ path: join(ARTIFACTS, 'undo.png') });

  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#run=docker/);
  assert.doesNotMatch(decodeURIComponent(link), /docker rm -f web/, 'the undone command is not in the link');
  // The link opens the same machine: web runs, with its copied-up file.
  const other = await page.context().newPage();
  const otherErrors = collectErrors(other);
  await other.goto(link);
  await other.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' }).waitFor();
  const out = await run(other, other.getByRole('region', { name: 'Terminal' }).getByRole('textbox', { name: 'Command' }), 'docker exec web cat /etc/app/app.conf');
  assert.match(out, /blue/);
  assert.deepEqual([...errors, ...otherErrors], []);
  await close();
});

test('with the map focused, the arrow and page keys step the narration (presentation clickers)', async () => {
  const { page, errors, input, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker run -d --name web -v webdata:/data demo/app:1.0 sleep 3600');
  const narration = page.getByRole('region', { name: 'Narration' });
  await narration.getByRole('button', { name: 'Pause' }).click();
  const stepNumber = async () => Number((await narration.innerText()).match(/Step (\d+) of \d+/)[1]);
  const first = await stepNumber();
  await page.getByRole('tabpanel').focus();
  await page.keyboard.press('PageDown');
  assert.equal(await stepNumber(), first + 1);
  await page.keyboard.press('ArrowRight');
  assert.equal(await stepNumber(), first + 2);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await stepNumber(), first + 1);
  await page.keyboard.press('PageUp');
  assert.equal(await stepNumber(), first);
  // The keys are the map's: in the terminal's command line they stay the line's.
  await input.focus();
  await page.keyboard.press('PageDown');
  assert.equal(await stepNumber(), first);
  assert.deepEqual(errors, []);
  await close();
});

/** Pauses the narration and steps back to its first step; returns a reader of "Step N of M" and a stepper. */
async function stepper(page) {
  const narration = page.getByRole('region', { name: 'Narration' });
  await narration.getByRole('button', { name: 'Pause' }).click();
  const caption = () => narration.locator('.caption').innerText();
  const previous = narration.getByRole('button', { name: 'Previous step' });
  while (!/^Step 1 of/.test(await caption())) await previous.click();
  const next = () => narration.getByRole('button', { name: 'Next step' }).click();
  return { caption, next };
}

test('a --rm container keeps its card while its steps play: the refusal at the lock, then it goes', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker volume create ro-vol');
  await run(page, input, 'docker pull alpine');
  await run(page, input, 'docker run --rm --name probe -v ro-vol:/data:ro alpine touch /data/x');
  const { caption, next } = await stepper(page);
  const card = map.getByRole('article', { name: 'probe', exact: true });
  assert.match(await caption(), /^Step 1 of 4 — Container probe is created from alpine and started/);
  assert.equal(await card.locator('.state').innerText(), 'running');
  await next();
  assert.match(await caption(), /^Step 2 of 4 — Writing \/data\/x is refused/);
  assert.equal(await card.locator('.state').innerText(), 'running', 'the card is there when the write bounces');
  const volume = map.getByRole('group', { name: 'ro-vol', exact: true });
  assert.match(await volume.innerText(), /in use by probe/);
  assert.doesNotMatch(await volume.innerText(), /dangling/);
  // The lock at both ends: on the chip, on the volume, and a padlock where the link meets each;
  // the refused write bounces on that link.
  assert.match(await map.getByRole('link', { name: /named volume ro-vol at \/data/ }).innerText(), /ro/);
  assert.match(await volume.innerText(), /ro in probe/);
  const link = map.locator('path.conn.ro.is-hot');
  await link.waitFor({ state: 'attached' });
  assert.equal(await link.getAttribute('marker-start'), 'url(#conn-lock)');
  assert.equal(await link.getAttribute('marker-end'), 'url(#conn-lock)');
  assert.equal(await map.locator('path.conn-write').count(), 1);
  await page.screenshot({ path: join(ARTIFACTS, 'moment-rm-refusal-step.png') });
  await next();
  assert.equal(await card.locator('.state').innerText(), 'exited (1)');
  await next();
  assert.match(await caption(), /^Step 4 of 4 — Container probe is removed/);
  assert.equal(await card.locator('.state').innerText(), 'removed');
  await page.getByRole('region', { name: 'Narration' }).getByRole('button', { name: 'Play' }).click();
  await card.waitFor({ state: 'detached' });
  assert.match(await volume.innerText(), /dangling[\s\S]*no container uses it/);
  assert.deepEqual(errors, []);
  await close();
});

test('docker rm -f: the card says exited (137) at the stop step, and is gone after', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker run -d --name web demo/app:1.0 sleep 3600');
  await run(page, input, 'docker rm -f web');
  const { caption, next } = await stepper(page);
  const card = map.getByRole('article', { name: 'web', exact: true });
  assert.match(await caption(), /^Step 1 of 2 — Container web stopped \(exit code 137\)/);
  assert.equal(await card.locator('.state').innerText(), 'exited (137)');
  await page.screenshot({ path: join(ARTIFACTS, 'moment-rm-stop-step.png') });
  await next();
  assert.match(await caption(), /^Step 2 of 2 — Container web is removed with its writable layer/);
  assert.equal(await card.locator('.state').innerText(), 'removed');
  await page.screenshot({ path: join(ARTIFACTS, 'moment-rm-removal-step.png') });
  await page.getByRole('region', { name: 'Narration' }).getByRole('button', { name: 'Play' }).click();
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await close();
});

test('docker restart of a tmpfs container is told in event order: stopped, tmpfs emptied, running', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker run -d --name tm --tmpfs /cache demo/app:1.0 sleep 3600');
  await run(page, input, "docker exec tm sh -c 'echo hello > /cache/x'");
  await run(page, input, 'docker restart tm');
  const { caption, next } = await stepper(page);
  const card = map.getByRole('article', { name: 'tm', exact: true });
  assert.match(await caption(), /^Step 1 of 3 — Container tm stopped \(exit code 137\)/);
  assert.equal(await card.locator('.state').innerText(), 'exited (137)');
  await next();
  assert.match(await caption(), /^Step 2 of 3 — .*tmpfs/);
  await page.screenshot({ path: join(ARTIFACTS, 'moment-restart-tmpfs-step.png') });
  await next();
  assert.match(await caption(), /^Step 3 of 3 — Container tm is running/);
  assert.equal(await card.locator('.state').innerText(), 'running');
  assert.deepEqual(errors, []);
  await close();
});

test('at 1280×720 the copy-up step scrolls the map pane (not the page) to the copied file and its source layer', async () => {
  const { page, errors, input, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker volume create one');
  await run(page, input, 'docker volume create two');
  await run(page, input, 'docker run -d --name cu demo/app:1.0 sleep 3600');
  await run(page, input, "docker exec cu sh -c 'echo red > /etc/app/app.conf'");
  // The copy's chip travels: it starts where the file sits in its image layer (a Web Animation
  // from an offset down to its place); how far down it starts is the distance between them.
  const travelled = await (await page.waitForFunction(() => {
    const moves = document.querySelector('.writable .entry.is-hot')?.getAnimations()
      .map((a) => /^translate\(-?[\d.]+px, (-?[\d.]+)px\)$/.exec(a.effect.getKeyframes()[0].transform ?? ''))
      .filter(Boolean) ?? [];
    return moves.length > 0 && Number(moves[0][1]);
  }, null, { timeout: 5000 })).jsonValue();
  const { caption } = await stepper(page);
  assert.match(await caption(), /^Step 1 of 1 — copy-up: \/etc\/app\/app\.conf/);
  // Both ends of the copy-up are inside the pane's visible box, and the page itself never moved.
  await page.waitForFunction(() => {
    const pane = document.getElementById('pane').getBoundingClientRect();
    const inside = (el) => {
      const r = el?.getBoundingClientRect();
      return r && r.height > 0 && r.top >= pane.top && r.bottom <= pane.bottom;
    };
    return inside(document.querySelector('.entry.is-hot')) && inside(document.querySelector('.layer.is-hot'));
  }, null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  assert.ok(await page.evaluate(() => document.getElementById('pane').scrollTop) > 0, 'the pane scrolled');
  // The image layer keeps its file; the copy travels from there up into the writable layer.
  assert.equal(await page.locator('.layer.is-hot .file-chip').innerText(), 'app.conf');
  await page.locator('.layer.is-hot .file-chip').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'moment-copy-up-step.png') });
  assert.ok(travelled > 40, `the copied file's chip started at its image layer, below the writable layer (${travelled} px)`);
  assert.deepEqual(errors, []);
  await close();
});

test('a --rm container run as 1000:1000 keeps its card while its write is denied in a root-owned bind folder', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker pull alpine');
  const out = await run(page, input, 'docker run --rm --name writer -u 1000:1000 -v ~/shared:/data alpine touch /data/f');
  assert.match(out, /Permission denied/);
  const { caption, next } = await stepper(page);
  const card = map.getByRole('article', { name: 'writer', exact: true });
  while (!/refused|denied/i.test(await caption())) await next();
  assert.equal(await card.locator('.state').innerText(), 'running', `the card is there at: ${await caption()}`);
  // The picture of the refusal, at the folder: the process's 1000:1000 against root's 755,
  // the others' bits applying, their missing w marked.
  const check = map.getByRole('img', { name: /^Permission check:/ });
  assert.equal(await check.getAttribute('aria-label'),
    "Permission check: uid 1000 is not the owner (0) and gid 1000 is not the group (0), so the others' bits r-x apply, and they have no w: the write is refused.");
  assert.match(await check.innerText(), /process\s*1000:1000[\s\S]*owner\s*0:0[\s\S]*mode 755/);
  assert.equal(await check.locator('.pc-triple.applies').innerText(), 'r-x');
  assert.equal(await check.locator('mark').innerText(), '-');
  assert.ok(await check.evaluate((el) => el.closest('.bind') !== null), 'drawn at the host folder');
  await page.screenshot({ path: join(ARTIFACTS, 'moment-permission-step.png') });
  await page.getByRole('region', { name: 'Narration' }).getByRole('button', { name: 'Play' }).click();
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await close();
});

test('first mount of an empty volume: at each step the volume is as it was then, and the image files flow in', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker run -d --name first -v conf:/etc/app demo/app:1.0 sleep 3600');
  const { caption, next } = await stepper(page);
  const volume = map.getByRole('group', { name: 'conf', exact: true });
  assert.match(await caption(), /^Step 1 of 4 — Container first is created/);
  assert.equal(await volume.count(), 0, 'not there before Docker creates it');
  await next();
  assert.match(await caption(), /^Step 2 of 4 — Docker creates the named volume conf/);
  assert.match(await volume.innerText(), /named volume · 0 B · 0 files/);
  await next();
  assert.match(await caption(), /^Step 3 of 4 — The volume conf was empty/);
  assert.match(await volume.innerText(), /named volume · 21 B · 2 files/);
  assert.match(await volume.innerText(), /2 entries copied in from first's image at \/etc\/app, owner 0:0 kept/);
  assert.equal(await map.locator('path.conn-flow').count(), 1, 'the files flow along the mount link');
  await page.screenshot({ path: join(ARTIFACTS, 'moment-populate-step.png') });
  await next();
  assert.equal(await map.locator('path.conn-flow').count(), 0);
  assert.deepEqual(errors, []);
  await close();
});

test('a container that writes and deletes in one command: its layer fills step by step', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, "docker run --name wr demo/app:1.0 sh -c 'echo hello > /srv/web/a.txt; rm /etc/app/obsolete.txt'");
  const { caption, next } = await stepper(page);
  const layer = map.getByRole('article', { name: 'wr', exact: true }).locator('.writable');
  assert.match(await caption(), /^Step 1 of 4 — Container wr is created/);
  assert.match(await layer.innerText(), /empty: nothing written yet/);
  assert.match(await layer.innerText(), /0 B/);
  await next();
  assert.match(await caption(), /^Step 2 of 4 — .*\/srv\/web\/a\.txt/);
  assert.match(await layer.innerText(), /\/srv\/web\/a\.txt/);
  assert.doesNotMatch(await layer.innerText(), /obsolete/);
  await next();
  assert.match(await caption(), /^Step 3 of 4 — .*whiteout/i);
  assert.match(await layer.innerText(), /\/etc\/app\/obsolete\.txt[\s\S]*whiteout/);
  assert.deepEqual(errors, []);
  await close();
});

test('a tmpfs is full at its size: the refused write shows it full', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  // The kernel keeps whole pages: a tmpfs of 4k holds 4096 bytes.
  await run(page, input, 'docker run -d --name tf --tmpfs /cache:size=4k demo/app:1.0 sleep 3600');
  await run(page, input, "docker exec tf sh -c 'head -c 8192 /dev/zero > /cache/big'");
  const { caption, next } = await stepper(page);
  const tmpfs = map.locator('.tmpfs', { hasText: 'tf:/cache' });
  assert.match(await caption(), /^Step 1 of 2 — \/cache\/big is written/);
  assert.equal(await tmpfs.locator('.full-tag').count(), 0);
  await next();
  assert.match(await caption(), /^Step 2 of 2 — \/cache is full: its size limit is 4096 bytes/);
  assert.match(await tmpfs.innerText(), /full[\s\S]*4\.1 kB used of 4\.1 kB/);
  assert.equal(await tmpfs.locator('.tmpfs-bar > span').getAttribute('style'), 'width:100.0%');
  await page.screenshot({ path: join(ARTIFACTS, 'moment-tmpfs-full-step.png') });
  assert.deepEqual(errors, []);
  await close();
});

test('a line that starts two containers: the second card appears at its own step', async () => {
  const { page, errors, input, map, close } = await open({ viewport: { width: 1280, height: 720 } });
  await run(page, input, 'docker run -d --name aa -v shared:/data demo/app:1.0 sleep 3600 && docker run -d --name bb -v shared:/data demo/app:1.0 sleep 3600');
  const { caption, next } = await stepper(page);
  const bb = map.getByRole('article', { name: 'bb', exact: true });
  assert.match(await caption(), /^Step 1 of \d+ — Container aa is created/);
  assert.equal(await map.getByRole('article', { name: 'aa', exact: true }).count(), 1);
  assert.equal(await bb.count(), 0, 'bb is not created yet');
  // Until bb is created, the shared volume (once it is drawn) lists aa's mount alone.
  const shared = map.getByRole('group', { name: 'shared', exact: true });
  let sharedSeen = false;
  while (!/Container bb is created/.test(await caption())) {
    if (await shared.count()) {
      sharedSeen = true;
      assert.doesNotMatch(await shared.innerText(), /bb/);
    }
    await next();
  }
  assert.ok(sharedSeen, 'the shared volume is drawn before bb is created');
  assert.equal(await bb.count(), 1);
  assert.deepEqual(errors, []);
  await close();
});
