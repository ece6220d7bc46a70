// The room display and the phone page in a real headless Chromium against a real reciprocad,
// driven through the real CLI. Run by tests/browser/run.sh BUILD_DIR.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Server, ensureDir, env, launchChromium, sleep, timedCheck, watchConsole } from './lib/harness.mjs';
import { PHONE, fillReferral, pendingCount, referOffline, serviceWorkerReady } from './lib/phone.mjs';

const server = new Server();
const consoleErrors = [];
const timings = {};
let browser;
const outcome = { failures: 0 };

const CHAPTER_ID = 'rome-centro';
const CHAPTER = `chapters/${CHAPTER_ID}`;
const people = {};
let meeting = '';
let displayUrl = '';
let display = null; // the room display page, open from the first test on
let phone = null; // Ana's phone page
let phoneContext = null;
let organizer = null; // Giulia's phone page (the president), running the meeting
let organizerContext = null;

const DISPLAY_VIEWPORT = { width: 1920, height: 1080 };
const GIVE_REFERRAL_PATH = '/api/reciproca.v1.ReferralService/GiveReferral';

// Each test body runs through this, so that a failure keeps the work directory for inspection.
const check = timedCheck(test, timings, outcome);

function stamp(text) {
  return `${text} #${Math.random().toString(36).slice(2, 8)}`;
}

// ---- the chapter, as an organizer sets it up with the CLI -----------------------------------

async function seed() {
  const admin = server.adminToken();
  await server.cli(admin, ['chapter', 'create', '--id', CHAPTER_ID, '--name', 'Rome Centro Breakfast',
    '--weekday', 'tue', '--time', '07:00', '--timezone', 'Europe/Rome', '--currency', 'EUR']);
  const roster = [
    ['giulia', 'Giulia Conti', 'Conti Events', 'event planner', ['--role', 'president']],
    ['ana', 'Ana Rossi', 'Rossi Accounting', 'accountant', []],
    ['marco', 'Marco Bianchi', 'Bianchi Estates', 'estate agent', []],
    ['luca', 'Luca Verdi', 'Verdi Plumbing', 'plumber', []],
    ['sara', 'Sara Neri', 'Neri Law', 'lawyer', []],
    ['paolo', 'Paolo Greco', 'Greco Photography', 'photographer', []],
    ['elena', 'Elena Russo', 'Russo Dental', 'dentist', []],
  ];
  for (const [key, name, business, category, extra] of roster) {
    const created = await server.cli(admin, ['member', 'add', '--chapter', CHAPTER_ID, '--name', name,
      '--business', business, '--category', category, ...extra]);
    people[key] = { name: created.member.name, token: created.access_token, displayName: name };
  }
  const org = people.giulia.token;
  const start = new Date(Date.now() + 15 * 60 * 1000).toISOString().slice(0, 16) + 'Z';
  meeting = (await server.cli(org, ['meeting', 'schedule', '--chapter', CHAPTER_ID, '--start', start])).name;
  await server.cli(org, ['meeting', 'open', meeting]);
  for (const key of ['giulia', 'ana', 'marco', 'luca', 'paolo', 'elena']) {
    await server.cli(people[key].token, ['checkin', '--meeting', meeting]);
  }
  await server.cli(people.ana.token, ['visitor', 'add', '--meeting', meeting, '--name', 'Laura Ferri',
    '--business', 'Ferri Bakery']);
  await server.cli(people.luca.token, ['visitor', 'add', '--meeting', meeting, '--name', 'Davide Costa',
    '--business', 'Costa Solar']);
  await server.cli(org, ['meeting', 'segment', meeting, '--name', 'Open networking']);
  // Some of the chapter's recent business.
  const won = await server.cli(people.ana.token, ['refer', '--to', people.marco.name, '--temperature', '5',
    '--contact-name', 'Roberto Gallo', '--contact-phone', '+39 333 5550123', '--note', 'selling his flat']);
  await server.cli(people.marco.token, ['referral', 'status', won.name, '--status', 'contacted']);
  await server.cli(people.marco.token, ['thanks', '--to', people.ana.name, '--amount', '1250.00',
    '--referral', won.name]);
  await server.cli(people.luca.token, ['refer', '--to', people.sara.name, '--temperature', '3',
    '--contact-name', 'Chiara Fontana', '--contact-email', 'chiara@example.com', '--note', 'a dispute with a supplier']);
  await server.cli(people.marco.token, ['refer', '--to', people.ana.name, '--temperature', '4', '--inside',
    '--note', 'our agency needs a new accountant']);
  await server.cli(people.giulia.token, ['refer', '--to', people.paolo.name, '--temperature', '2',
    '--contact-name', 'Hotel Aurora', '--contact-phone', '+39 06 5550188']);
  await server.cli(people.paolo.token, ['one-to-one', '--with', people.giulia.name]);
  await server.cli(people.elena.token, ['refer', '--to', people.sara.name, '--temperature', '4',
    '--contact-name', 'Matteo Ricci', '--contact-phone', '+39 347 5550142', '--note', 'lease contract, wants a call this week']);
  displayUrl = (await server.cli(org, ['display-url', '--chapter', CHAPTER_ID])).url;
}

async function countReferrals(giver, marker) {
  const list = await server.cli(people.giulia.token, ['referral', 'list', '--chapter', CHAPTER_ID,
    '--giver', giver.name, '--limit', '1000']);
  return (list.referrals || []).filter((r) => (r.note || '') === marker).length;
}

async function inviteUrl(key) {
  return (await server.cli(people.giulia.token, ['member', 'invite-link', '--chapter', CHAPTER_ID,
    '--member', people[key].name])).url;
}

async function openPhone(key, options = {}) {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block', ...options });
  const page = await context.newPage();
  watchConsole(page, `phone:${key}`, consoleErrors);
  await page.goto(await inviteUrl(key));
  await page.waitForSelector(`#me-name:text-is("${people[key].displayName}")`, { timeout: 10000 });
  return { context, page };
}

before(async () => {
  const t0 = Date.now();
  const startMs = await server.start();
  browser = await launchChromium();
  await seed();
  timings['setup (server start, Chromium, seed)'] = Date.now() - t0;
  timings['server start'] = startMs;
});

after(async () => {
  const t0 = Date.now();
  if (browser) await browser.close();
  const t1 = Date.now();
  await server.stop();
  timings['teardown: Chromium closed'] = t1 - t0;
  timings['teardown: reciprocad stopped (SIGTERM)'] = Date.now() - t1;
  server.cleanup(outcome.failures === 0);
  const rows = Object.entries(timings).map(([name, ms]) => `  ${String(ms).padStart(6)} ms  ${name}`);
  process.stdout.write(`\nbrowser test timings:\n${rows.join('\n')}\n`);
});

// ---- the room display ------------------------------------------------------------------

check('the display opens from the CLI\'s display-url and shows the meeting', async () => {
  assert.match(displayUrl, /\/display\/#chapter=chapters%2Frome-centro&token=/);
  const context = await browser.newContext({ viewport: DISPLAY_VIEWPORT });
  display = await context.newPage();
  watchConsole(display, 'display', consoleErrors);
  await display.goto(displayUrl);
  await display.waitForSelector('#conn[data-state="live"]', { timeout: 10000 });
  assert.equal(new URL(display.url()).hash, '', 'the token is removed from the address bar');
  assert.equal(await display.locator('#chapter-name').textContent(), 'Rome Centro Breakfast');
  assert.equal(await display.locator('#segment-title').textContent(), 'Open networking');
  // The history of today's meeting: the referrals and the thank-you recorded before it opened.
  await display.waitForSelector('#ticker-list .kind-thanks', { timeout: 5000 });
  assert.equal(await display.locator('#ticker-list .kind-referral').count(), 5);
  // Amounts stay off the display unless the chapter allows them.
  assert.equal(await display.locator('#ticker-list .ticker-amount:visible').count(), 0);
  await display.waitForSelector('#checkins li.chip');
  assert.equal(await display.locator('#checkin-count').textContent(), '6 of 7 here');
  // Every check-in is a chip, or counted in the "+N more" chip when the panel is full.
  const chips = await display.locator('#checkins li.chip:not(.more)').count();
  const moreChip = display.locator('#checkins li.chip.more');
  const more = (await moreChip.count()) ? await moreChip.textContent() : '+0 more';
  assert.equal(chips + Number(/\+(\d+) more/.exec(more)[1]), 6);
  assert.equal(await display.locator('#visitors li').count(), 2);
});

check('the display shows a referral within 1 second of `reciproca refer`', async () => {
  const started = Date.now();
  const result = await server.runCli(people.sara.token, ['--json', 'refer', '--to', people.elena.name,
    '--temperature', '4', '--contact-name', 'Franco Esposito', '--contact-phone', '+39 340 5550111']);
  const returned = Date.now();
  assert.equal(result.code, 0, result.stderr);
  const name = JSON.parse(result.stdout).name;
  const entry = await display.waitForSelector(`#ticker-list [data-name="${name}"]`, { timeout: 5000 });
  const addedAt = Number(await entry.getAttribute('data-added-at'));
  const latency = Math.max(0, addedAt - returned);
  timings['  display latency after the CLI returned'] = latency;
  timings['  (from the CLI\'s start to the ticker entry)'] = addedAt - started;
  assert.ok(latency < 1000, `the referral appeared ${latency} ms after the CLI returned`);
  const item = display.locator(`#ticker-list [data-name="${name}"]`);
  assert.equal(await item.locator('.giver').textContent(), 'Sara Neri');
  assert.equal(await item.locator('.receiver').textContent(), 'Elena Russo');
  assert.equal(await item.locator('.flame.on').count(), 4);
  // The entry sliding in does not push the older ones out of the ticker.
  await sleep(700);
  assert.ok(await display.locator('#ticker-list li').count() >= 6, 'the ticker keeps the entries that fit');
});

check('the countdown runs down and turns red on overrun', async () => {
  await server.cli(people.giulia.token, ['meeting', 'segment', meeting, '--name', '60-second presentations',
    '--seconds', '4', '--speaker', people.ana.name]);
  await display.waitForFunction(() => document.querySelector('#segment-title').textContent === '60-second presentations');
  const seconds = (text) => {
    const m = /^(\d+):(\d\d)$/.exec(text.trim());
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const first = await display.locator('#countdown').textContent();
  await sleep(1100);
  const second = await display.locator('#countdown').textContent();
  assert.ok(seconds(first) > seconds(second), `the countdown went from "${first}" to "${second}"`);
  assert.equal(await display.locator('#speaker-name').textContent(), 'Ana Rossi');
  assert.equal(await display.locator('#next-name').textContent(), 'Marco Bianchi');
  await display.waitForSelector('#countdown.overrun', { timeout: 7000 });
  await sleep(1100);
  const over = await display.locator('#countdown').textContent();
  assert.match(over, /^\+0:0[1-9] over$/);
  const color = await display.locator('#countdown').evaluate((e) => getComputedStyle(e).color);
  const [r, g, b] = color.match(/\d+/g).map(Number);
  assert.ok(r > 200 && g < 110 && b < 110, `the overrun countdown is red, got ${color}`);
  await display.screenshot({ path: path.join(ensureDir(env.artifactDir), 'display-overrun.png') });
});

// ---- the phone page --------------------------------------------------------------------

check('the phone page passes a referral, recorded exactly once', async () => {
  ({ context: phoneContext, page: phone } = await openPhone('ana'));
  assert.equal(new URL(phone.url()).hash, '', 'the token is removed from the address bar');
  assert.ok(await phone.evaluate(() => !!localStorage.getItem('reciproca.app.token')));
  await phone.waitForSelector('#conn[data-state="live"]');
  const marker = stamp('phone referral');
  await fillReferral(phone, { to: people.marco.name, marker });
  await phone.click('#refer-submit');
  await phone.waitForSelector('#refer-ok:not([hidden])', { timeout: 5000 });
  assert.match(await phone.locator('#refer-ok').textContent(), /Referral to Marco Bianchi: recorded/);
  assert.equal(await countReferrals(people.ana, marker), 1);
  // ... and the room sees it.
  await display.waitForSelector('#ticker-list .kind-referral >> nth=0', { timeout: 3000 });
});

check('the phone page shows the server\'s validation error for a self-referral', async () => {
  // What the server says to the CLI for the same mistake.
  const cliResult = await server.runCli(people.ana.token, ['refer', '--to', people.ana.name,
    '--temperature', '3', '--contact-name', 'Giorgio Marino', '--contact-phone', '+39 333 5550177']);
  assert.equal(cliResult.code, 3, cliResult.stderr);
  assert.match(cliResult.stderr, /error: INVALID_ARGUMENT: referral\.receiver: a member cannot refer to themself/);
  const marker = stamp('to myself');
  await fillReferral(phone, { to: people.ana.name, marker });
  await phone.click('#refer-submit');
  await phone.waitForSelector('#refer-error:not([hidden])', { timeout: 5000 });
  // The server's localized message (google.rpc.LocalizedMessage), next to the field it names.
  assert.equal((await phone.locator('#refer-error').textContent()).trim(), 'You cannot pass a referral to yourself.');
  assert.equal(await phone.locator('#refer-to').getAttribute('aria-invalid'), 'true');
  await phone.locator('#refer-card').screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-validation.png') });
  assert.equal(await phone.locator('#refer-note').inputValue(), marker, 'the form keeps what was typed');
  assert.equal(await pendingCount(phone), 0, 'a refused submission is not left pending');
  assert.equal(await countReferrals(people.ana, marker), 0);
});

check('a referral queued while the server is down (kill -9) lands exactly once after restart', async () => {
  await server.kill9();
  await phone.waitForSelector('#conn:not([data-state="live"])', { timeout: 8000 });
  await display.waitForSelector('#conn:not([data-state="live"])', { timeout: 8000 });
  const marker = stamp('while the server was down');
  await fillReferral(phone, { to: people.luca.name, marker });
  await phone.click('#refer-submit');
  await phone.waitForSelector('#refer-ok.queued:not([hidden])', { timeout: 5000 });
  assert.equal(await pendingCount(phone), 1);
  await phone.waitForSelector('#pending:not([hidden]) .pending-item', { timeout: 2000 });
  await sleep(1500); // at least one retry fails while the server is down
  assert.equal(await pendingCount(phone), 1);
  await phone.locator('#pending').screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-pending.png') });
  const downAt = Date.now();
  await server.start();
  await phone.waitForSelector('#pending', { state: 'hidden', timeout: 20000 });
  timings['  queued referral landed after the restart'] = Date.now() - downAt;
  assert.equal(await countReferrals(people.ana, marker), 1);
  // The display resumed from its last seq: the referral shows, and nothing twice.
  await display.waitForSelector('#conn[data-state="live"]', { timeout: 10000 });
  const name = (await server.cli(people.giulia.token, ['referral', 'list', '--chapter', CHAPTER_ID,
    '--giver', people.ana.name, '--limit', '1'])).referrals[0].name;
  await display.waitForSelector(`#ticker-list [data-name="${name}"]`, { timeout: 5000 });
  const names = await display.locator('#ticker-list li').evaluateAll((items) => items.map((i) => i.dataset.name));
  assert.equal(new Set(names).size, names.length, `duplicated ticker entries: ${names.join(', ')}`);
  await phone.waitForSelector('#conn[data-state="live"]', { timeout: 10000 });
});

check('a lost acknowledgement is retried with the same request id: one referral', async () => {
  const seen = [];
  await phone.route(`**${GIVE_REFERRAL_PATH}`, async (route) => {
    const body = JSON.parse(route.request().postData() || '{}');
    seen.push(body.requestId);
    if (seen.length === 1) {
      const response = await route.fetch(); // the server records it...
      seen.firstStatus = response.status();
      await route.abort('connectionreset'); // ...and the answer never reaches the phone
    } else {
      await route.continue();
    }
  });
  const marker = stamp('answer lost');
  await fillReferral(phone, { to: people.paolo.name, marker });
  await phone.click('#refer-submit');
  const deadline = Date.now() + 15000;
  while (seen.length < 2 && Date.now() < deadline) await sleep(50);
  await phone.waitForSelector('#pending', { state: 'hidden', timeout: 15000 });
  await phone.waitForSelector('#refer-ok:not([hidden])');
  await phone.unroute(`**${GIVE_REFERRAL_PATH}`);
  assert.equal(seen.firstStatus, 200, 'the first attempt reached the server and was recorded');
  assert.ok(seen.length >= 2, `the phone sent it again (${seen.length} attempts)`);
  assert.equal(new Set(seen).size, 1, `every attempt had the same request id: ${seen.join(', ')}`);
  assert.equal(await countReferrals(people.ana, marker), 1);
});

check('the phone page moves a received referral forward and thanks for closed business', async () => {
  const { context, page } = await openPhone('sara');
  const item = page.locator('#inbox li.referral', { hasText: 'From Elena Russo' });
  await item.locator('button[data-status="REFERRAL_STATUS_CONTACTED"]').click();
  await page.waitForSelector('#inbox li.referral[data-status="REFERRAL_STATUS_CONTACTED"]', { timeout: 5000 });
  await page.locator('#inbox li.referral', { hasText: 'From Elena Russo' }).locator('.thank-link').click();
  await page.fill('#thanks-amount', '1.480,00');
  await page.click('#thanks-submit');
  await page.waitForSelector('#thanks-ok:not([hidden])', { timeout: 5000 });
  await page.waitForSelector('#inbox li.referral[data-status="REFERRAL_STATUS_CLOSED_WON"]', { timeout: 5000 });
  await page.locator('#inbox-card').screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-inbox.png') });
  await page.waitForSelector('#score-card:not([hidden])', { timeout: 5000 });
  await page.locator('#score-card').screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-score.png') });
  await page.selectOption('#one-to-one-with', people.luca.name);
  await page.click('#one-to-one-submit');
  await page.waitForSelector('#one-to-one-ok:not([hidden])', { timeout: 5000 });
  await context.close();
});

check('the phone page works as an installable app, offline too', async () => {
  const context = await browser.newContext({ ...PHONE });
  const page = await context.newPage();
  watchConsole(page, 'phone:pwa', consoleErrors);
  await page.goto(await inviteUrl('paolo'));
  await page.waitForSelector('#me-name:text-is("Paolo Greco")');
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    const response = await fetch(link.href);
    return response.json();
  });
  assert.equal(manifest.start_url, '/app/');
  for (const icon of manifest.icons) {
    const response = await page.request.get(`${server.origin}${icon.src}`);
    assert.equal(response.status(), 200, icon.src);
    assert.match(response.headers()['content-type'], /^image\/png/);
  }
  assert.ok(manifest.icons.some((i) => i.sizes === '192x192') && manifest.icons.some((i) => i.sizes === '512x512'));
  await serviceWorkerReady(page);
  // Offline: the page still opens (from the service worker's cache), and a submission waits.
  const marker = stamp('offline');
  await referOffline(context, page, { me: 'Paolo Greco', to: people.giulia.name, marker });
  assert.equal(await countReferrals(people.paolo, marker), 1);
  await context.close();
});

// How long after `since` the display shows `speaker` speaking in `title` (it must, within 5 s).
async function displayFollows(since, title, speaker) {
  await display.waitForFunction(([t, s]) => document.querySelector('#segment-title').textContent === t &&
    document.querySelector('#speaker-name').textContent === s, [title, speaker], { timeout: 5000 });
  return Date.now() - since;
}

// ---- screenshots -----------------------------------------------------------------------

check('screenshots of both pages, and checking in from the phone', async () => {
  const dir = ensureDir(env.artifactDir);
  // Sara arrives: her phone, before and after she checks in.
  const { context, page } = await openPhone('sara');
  await page.waitForSelector('#conn[data-state="live"]');
  await page.waitForSelector('#score-card:not([hidden])', { timeout: 5000 });
  await page.waitForSelector('#checkin-button:not([hidden])');
  await sleep(300);
  await page.screenshot({ path: path.join(dir, 'app.png') });
  await page.screenshot({ path: path.join(dir, 'app-full.png'), fullPage: true });
  await page.click('#checkin-button');
  await page.waitForFunction(() => /You are checked in: (present|late)/.test(document.querySelector('#my-attendance').textContent),
    null, { timeout: 5000 });
  assert.ok(await page.locator('#checkin-button').isHidden());
  await display.waitForFunction(() => document.querySelector('#checkin-count').textContent === '7 of 7 here');
  await context.close();

  // The room: Marco's 60 seconds, the newest entries' highlight faded, the countdown running.
  await server.cli(people.giulia.token, ['meeting', 'segment', meeting, '--name', '60-second presentations',
    '--seconds', '60', '--speaker', people.marco.name]);
  await display.waitForFunction(() => document.querySelector('#speaker-name').textContent === 'Marco Bianchi');
  await display.waitForSelector('#traffic-panel:not([hidden])', { timeout: 5000 });
  await display.waitForSelector('#leaderboard-panel:not([hidden])', { timeout: 5000 });
  await sleep(5000);
  await display.screenshot({ path: path.join(dir, 'display.png') });

  if (env.updateDocs) {
    copyFileSync(path.join(dir, 'display.png'), path.join(env.docsDir, 'display.png'));
    copyFileSync(path.join(dir, 'app.png'), path.join(env.docsDir, 'app.png'));
  }
});

// ---- the pages in Italian and Spanish -------------------------------------------------------

// What each language must show: a few strings of both pages, and the weekday of the meeting
// as Intl writes it in that language (the page formats dates with Intl, never by hand).
const LANGUAGE_CASES = {
  it: {
    referTitle: 'Passa una referenza',
    referSubmit: 'Passa la referenza',
    inboxTitle: 'Referenze per me',
    live: 'In diretta',
    amountPlaceholder: '12.500,00',
    ticker: 'Referenze e grazie in diretta',
    speaking: 'Sta parlando',
    traffic: 'Semaforo',
    here: '7 presenti su 7',
    selfReferral: 'Non puoi passare una referenza a te stesso.',
  },
  es: {
    referTitle: 'Pasar una referencia',
    referSubmit: 'Pasar la referencia',
    inboxTitle: 'Referencias para mí',
    live: 'En directo',
    amountPlaceholder: '12.500,00',
    ticker: 'Referencias y gracias en directo',
    speaking: 'Tiene la palabra',
    traffic: 'Semáforo',
    here: '7 de 7 presentes',
    selfReferral: 'No puedes pasarte una referencia a ti mismo.',
  },
};

function weekdayOfMeeting(lang, startTime) {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'Europe/Rome' }).format(Date.parse(startTime));
}

async function saveLanguageScreenshot(page, file) {
  const dir = ensureDir(path.join(env.artifactDir, 'i18n'));
  await page.screenshot({ path: path.join(dir, file) });
  if (env.updateDocs) copyFileSync(path.join(dir, file), path.join(ensureDir(path.join(env.docsDir, 'screenshots')), file));
}

// Italian: the phone follows the browser's language. Spanish: the member picks it on a phone
// whose browser speaks English, and the pick is remembered across a reload.
async function phoneIn(lang) {
  if (lang === 'it') return openPhone('marco', { locale: 'it-IT' });
  const opened = await openPhone('marco', { locale: 'en-US' });
  const { page } = opened;
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.locator('#language').selectOption(lang);
  await page.waitForSelector(`#refer-title:text-is("${LANGUAGE_CASES[lang].referTitle}")`, { timeout: 10000 });
  assert.equal(await page.evaluate(() => localStorage.getItem('reciproca.app.language')), lang);
  await page.reload();
  await page.waitForSelector(`#refer-title:text-is("${LANGUAGE_CASES[lang].referTitle}")`, { timeout: 10000 });
  return opened;
}

// The display follows the chapter's language, which an organizer sets with the CLI, not the
// browser's (this one's speaks English); the display open since the first test follows live.
async function setChapterLanguage(lang) {
  const updated = await server.cli(server.adminToken(), ['chapter', 'update', '--chapter', CHAPTER_ID, '--language', lang]);
  assert.equal(updated.language, lang);
  await display.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 5000 });
}

async function displayIn(lang) {
  await setChapterLanguage(lang);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  watchConsole(page, `display:${lang}`, consoleErrors);
  await page.goto(displayUrl);
  return { context, page };
}

for (const lang of Object.keys(LANGUAGE_CASES)) {
  check(`the phone page and the display in ${new Intl.DisplayNames('en', { type: 'language' }).of(lang)}`, async () => {
    const want = LANGUAGE_CASES[lang];
    const recorded = await server.cli(people.giulia.token, ['meeting', 'get', meeting]);
    const weekday = weekdayOfMeeting(lang, recorded.start_time || recorded.startTime);

    const { context, page } = await phoneIn(lang);
    await page.waitForSelector(`#conn[data-state="live"]`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await page.locator('#refer-title').textContent(), want.referTitle);
    assert.equal(await page.locator('#refer-submit').textContent(), want.referSubmit);
    assert.match(await page.locator('#inbox-title').textContent(), new RegExp(`^${want.inboxTitle}`));
    assert.equal(await page.locator('#conn-text').textContent(), want.live);
    assert.equal(await page.locator('#thanks-amount').getAttribute('placeholder'), want.amountPlaceholder);
    assert.match(await page.locator('#meeting-when').textContent(), new RegExp(weekday, 'i'));
    await page.waitForSelector('#score-card:not([hidden])', { timeout: 5000 });
    await sleep(300);
    await saveLanguageScreenshot(page, `app-${lang}.png`);
    // The server's refusal in the page's language, next to the field it names.
    await fillReferral(page, { to: people.marco.name, marker: stamp(`self ${lang}`) });
    await page.click('#refer-submit');
    await page.waitForSelector('#refer-error:not([hidden])', { timeout: 5000 });
    assert.equal((await page.locator('#refer-error').textContent()).trim(), want.selfReferral);
    assert.equal(await page.locator('#refer-to').getAttribute('aria-invalid'), 'true');
    await context.close();

    const room = await displayIn(lang);
    const screen = room.page;
    await screen.waitForSelector('#conn[data-state="live"]', { timeout: 10000 });
    assert.equal(await screen.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await screen.locator('#ticker-heading').textContent(), want.ticker);
    assert.equal(await screen.locator('#conn-text').textContent(), want.live);
    assert.equal(await screen.locator('.speaker-label').textContent(), want.speaking);
    await screen.waitForFunction((text) => document.querySelector('#checkin-count').textContent === text, want.here);
    assert.match(await screen.locator('#meeting-line').textContent(), new RegExp(weekday, 'i'));
    await screen.waitForSelector('#traffic-panel:not([hidden])', { timeout: 5000 });
    assert.match(await screen.locator('#traffic-heading').textContent(), new RegExp(`^${want.traffic}`));
    await sleep(300);
    await saveLanguageScreenshot(screen, `display-${lang}.png`);
    await room.context.close();
  });
}

check('the chapter back in English: the open display follows at once', async () => {
  await setChapterLanguage('en');
  assert.equal(await display.locator('#ticker-heading').textContent(), 'Live referrals & thank-yous');
  assert.equal(await display.locator('#checkin-count').textContent(), '7 of 7 here');
});

// ---- running the meeting from the phones ---------------------------------------------------

check('a member\'s phone has no organizer section, and the server refuses them anyway', async () => {
  await phone.waitForSelector('#visitor-card:not([hidden])');
  assert.ok(await phone.locator('#run-card').isHidden(), 'no "Run the meeting" for a member');
  assert.ok(await phone.locator('#jump-run').isHidden());
  assert.ok(await phone.locator('#visitor-invited-by-wrap').isHidden(), 'a member registers their own visitors');
  const refused = await server.api(people.ana.token, 'reciproca.v1.MeetingService/StartSegment',
    { name: meeting, title: 'Welcome', requestId: `member-segment-${Date.now()}` });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.body.code, 'PERMISSION_DENIED');
});

check('an organizer runs the agenda from the phone and the display follows within a second', async () => {
  ({ context: organizerContext, page: organizer } = await openPhone('giulia'));
  const page = organizer;
  await page.waitForSelector('#run-card:not([hidden])');
  await page.waitForSelector('#conn[data-state="live"]');
  assert.ok(await page.locator('#jump-run').isVisible());
  // The seeded meeting is already open and in progress: no scheduling, no opening.
  await page.waitForSelector('#run-agenda:not([hidden])');
  assert.ok(await page.locator('#run-schedule').isHidden());
  assert.ok(await page.locator('#run-open-button').isHidden());

  // 60-second presentations, Luca first.
  await page.click('#run-quick button[data-title="60-second presentations"]');
  assert.equal(await page.locator('#segment-title-input').inputValue(), '60-second presentations');
  assert.equal(await page.locator('#segment-seconds').inputValue(), '60');
  await page.selectOption('#segment-speaker', people.luca.name);
  let tapped = Date.now();
  await page.click('#segment-submit');
  let latency = await displayFollows(tapped, '60-second presentations', 'Luca Verdi');
  timings['  display follows "Start segment" (tap to display)'] = latency;
  assert.ok(latency < 1000, `the display showed the segment ${latency} ms after the tap`);
  await page.waitForSelector('#segment-ok:not([hidden])');
  // The server's next speaker: the next member here, in roster order, who has not spoken yet.
  await display.waitForFunction(() => document.querySelector('#next-name').textContent === 'Sara Neri');
  await page.waitForSelector('#run-next:text-is("Next: Sara Neri")', { timeout: 3000 });
  assert.equal(await page.locator('#run-now-title').textContent(), '60-second presentations');
  assert.equal(await page.locator('#run-now-speaker').textContent(), 'Luca Verdi');
  assert.match(await page.locator('#run-now-clock').textContent(), /^(1:00|0:\d\d) left$/);
  await page.locator('#run-card').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-organizer.png') });
  if (env.updateDocs) {
    copyFileSync(path.join(env.artifactDir, 'app-organizer.png'), path.join(env.docsDir, 'app-organizer.png'));
  }
  await page.screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-organizer-full.png'), fullPage: true });

  // One tap: the next speaker.
  tapped = Date.now();
  await page.click('#run-next');
  latency = await displayFollows(tapped, '60-second presentations', 'Sara Neri');
  timings['  display follows "Next: Sara Neri" (tap to display)'] = latency;
  assert.ok(latency < 1000, `the display showed the next speaker ${latency} ms after the tap`);
  await display.waitForFunction(() => document.querySelector('#next-name').textContent === 'Paolo Greco');
  await page.waitForSelector('#run-next:text-is("Next: Paolo Greco")', { timeout: 3000 });
  tapped = Date.now();
  await page.click('#run-next');
  latency = await displayFollows(tapped, '60-second presentations', 'Paolo Greco');
  assert.ok(latency < 1000, `the display showed the next speaker ${latency} ms after the tap`);
  await page.waitForSelector('#run-next:text-is("Next: Elena Russo")', { timeout: 3000 });
  assert.equal(await pendingCount(page), 0);
});

check('the organizer sets the chapter\'s agenda and runs it one tap per segment', async () => {
  const page = organizer;
  // From the usual agenda: the first segment renamed, the visitors' introductions removed.
  await page.click('#agenda-usual');
  assert.equal(await page.locator('#agenda-rows li').count(), 7);
  await page.fill('#agenda-rows li:nth-child(1) .agenda-title', 'Caffè e networking');
  await page.click('#agenda-rows li:nth-child(7) .danger');
  // A segment of 300 minutes: the server's refusal, next to the field it names; nothing saved.
  await page.fill('#agenda-rows li:nth-child(5) .agenda-minutes', '300');
  await page.click('#agenda-submit');
  await page.waitForSelector('#agenda-error:not([hidden])');
  assert.match(await page.locator('#agenda-error').textContent(), /300/);
  assert.equal(await page.locator('#agenda-rows li:nth-child(5) .agenda-minutes').getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await server.cli(people.giulia.token, ['chapter', 'get', CHAPTER_ID])).agenda || [], []);
  await page.fill('#agenda-rows li:nth-child(5) .agenda-minutes', '10');
  await page.click('#agenda-submit');
  await page.waitForSelector('#agenda-ok:not([hidden])');
  const saved = (await server.cli(people.giulia.token, ['chapter', 'get', CHAPTER_ID])).agenda;
  assert.deepEqual(saved.map((a) => a.title), ['Caffè e networking', 'Welcome', '60-second presentations',
    'Education moment', 'Feature presentation', 'Referral round']);
  assert.equal(saved[4].minutes, 10);
  assert.equal(saved[4].countdown_seconds, 600);

  // The run card offers the chapter's segments, and the agenda's next one is one tap away.
  await page.waitForSelector('#run-quick button[data-title="Caffè e networking"]');
  assert.equal(await page.locator('#run-quick button').count(), 6);
  await page.waitForSelector('#run-agenda-next:text-is("Next in the agenda: Education moment")');
  let tapped = Date.now();
  await page.click('#run-agenda-next');
  const latency = await displayFollows(tapped, 'Education moment', '');
  assert.ok(latency < 1000, `the display showed the agenda's next segment ${latency} ms after the tap`);
  await page.waitForSelector('#run-agenda-next:text-is("Next in the agenda: Feature presentation")');
  assert.match(await page.locator('#run-now-clock').textContent(), /^(5:00|4:\d\d) left$/);
  tapped = Date.now();
  await page.click('#run-agenda-next');
  await displayFollows(tapped, 'Feature presentation', '');
  await page.waitForSelector('#run-agenda-next:text-is("Next in the agenda: Referral round")');
  assert.equal(await pendingCount(page), 0);
});

check('the organizer corrects attendance; a substitute needs a name (the server says so)', async () => {
  const page = organizer;
  await page.click('#run-attendance-details summary');
  const row = page.locator(`#run-attendance li[data-member="${people.elena.name}"]`);
  await row.locator('select').selectOption('ATTENDANCE_STATUS_SUBSTITUTE');
  await row.locator('button:text-is("Save")').click();
  await row.locator('.form-error:not([hidden])').waitFor({ timeout: 5000 });
  // The server's message in the page's language (the English developer text is
  // "substitute_name: is required ...").
  assert.equal(await row.locator('.form-error').textContent(), 'This is required (1 to 100 characters).');
  await row.locator('input').fill('Giovanni Russo');
  await row.locator('button:text-is("Save")').click();
  await page.waitForSelector(`#run-attendance li[data-member="${people.elena.name}"][data-status="ATTENDANCE_STATUS_SUBSTITUTE"]`,
    { timeout: 5000 });
  await row.locator('.form-error').waitFor({ state: 'hidden', timeout: 5000 });
  await page.waitForSelector('#run-attendance-count:text-is("7 of 7 here")', { timeout: 5000 });
  const recorded = await server.cli(people.giulia.token, ['meeting', 'get', meeting]);
  const elena = recorded.attendance.find((a) => a.member === people.elena.name);
  assert.equal(elena.status, 'ATTENDANCE_STATUS_SUBSTITUTE');
  assert.equal(elena.substitute_name || elena.substituteName, 'Giovanni Russo');
});

check('a member registers a visitor from the phone and the display shows them', async () => {
  await phone.fill('#visitor-name', 'Giorgia Sala');
  await phone.fill('#visitor-business', 'Sala Interiors');
  await phone.fill('#visitor-email', 'giorgia@example.com');
  const tapped = Date.now();
  await phone.click('#visitor-submit');
  const item = display.locator('#visitors li', { hasText: 'Giorgia Sala' });
  await item.waitFor({ timeout: 5000 });
  timings['  display shows the visitor (tap to display)'] = Date.now() - tapped;
  assert.match(await item.textContent(), /Sala Interiors/);
  assert.match(await item.textContent(), /guest of Ana Rossi/);
  await phone.waitForSelector('#visitor-ok:not([hidden])');
  await phone.waitForSelector('#visitor-list li:has-text("Giorgia Sala")');
  // A refused one shows the server's words next to the form.
  await phone.fill('#visitor-name', 'Nobody Business');
  await phone.click('#visitor-submit');
  await phone.waitForSelector('#visitor-error:not([hidden])', { timeout: 5000 });
  assert.equal(await phone.locator('#visitor-error').textContent(), 'This is required (1 to 100 characters).');
  assert.equal(await phone.locator('#visitor-business').getAttribute('aria-invalid'), 'true');
  await phone.fill('#visitor-name', '');
});

check('a member invites a visitor ahead; the organizer moves them through the pipeline on the phone', async () => {
  const page = organizer;
  assert.ok(await phone.locator('#pipeline-card').isHidden(), 'members have no pipeline card');
  // Ana invites Irene for today's meeting (the day is filled in: the next meeting on or after it).
  await phone.fill('#invite-visitor-name', 'Irene Moro');
  await phone.fill('#invite-visitor-business', 'Moro Design');
  await phone.fill('#invite-visitor-email', 'irene@example.com');
  await phone.click('#invite-visitor-submit');
  await phone.waitForSelector('#invite-visitor-ok:not([hidden])', { timeout: 5000 });
  const row = page.locator('#pipeline-list li', { hasText: 'Irene Moro' });
  await row.waitFor({ timeout: 5000 });
  assert.equal(await row.getAttribute('data-state'), 'VISITOR_STATE_INVITED');
  assert.match(await row.textContent(), /irene@example\.com/, 'organizers see the contact');
  // She comes: registered at the meeting from Ana's phone, she is the same visitor, attended.
  await phone.fill('#visitor-name', 'Irene Moro');
  await phone.fill('#visitor-business', 'Moro Design');
  await phone.click('#visitor-submit');
  await page.waitForSelector('#pipeline-list li[data-state="VISITOR_STATE_ATTENDED"]:has-text("Irene Moro")', { timeout: 5000 });
  assert.equal(await page.locator('#pipeline-list li', { hasText: 'Irene Moro' }).count(), 1, 'no second visitor');
  // The legal moves only: followed up, applied, then joined with a category.
  const moveTo = async (state, next) => {
    await row.locator(`button[data-move="${state}"]`).click();
    if (next) await page.waitForSelector(`#pipeline-list li[data-state="${next}"]:has-text("Irene Moro")`, { timeout: 5000 });
  };
  assert.deepEqual(await row.locator('button[data-move]').evaluateAll((b) => b.map((x) => x.dataset.move)),
    ['VISITOR_STATE_FOLLOWED_UP', 'VISITOR_STATE_DECLINED']);
  await moveTo('VISITOR_STATE_FOLLOWED_UP', 'VISITOR_STATE_FOLLOWED_UP');
  await moveTo('VISITOR_STATE_APPLIED', 'VISITOR_STATE_APPLIED');
  await moveTo('VISITOR_STATE_JOINED');
  await page.fill('#pipeline-category', 'accountant'); // Ana's: refused, the server says why
  await page.click('#pipeline-join-submit');
  await page.waitForSelector('#pipeline-error:not([hidden])', { timeout: 5000 });
  assert.match(await page.locator('#pipeline-error').textContent(), /Ana Rossi/);
  await page.fill('#pipeline-category', 'interior designer');
  await page.click('#pipeline-join-submit');
  await page.waitForSelector('#pipeline-list li[data-state="VISITOR_STATE_JOINED"]:has-text("Irene Moro")', { timeout: 5000 });
  const listed = await server.cli(people.giulia.token, ['visitor', 'list', '--chapter', CHAPTER_ID, '--state', 'joined']);
  const irene = listed.visitors.find((v) => v.display_name === 'Irene Moro' || v.displayName === 'Irene Moro');
  assert.ok(irene && irene.member, JSON.stringify(listed));
  const member = await server.cli(people.giulia.token, ['member', 'get', irene.member]);
  assert.equal(member.category, 'interior designer');
  assert.equal(member.visitor, irene.name);
  await page.locator('#pipeline-card').screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-visitors.png') });
});

// ---- the organizers' roster ------------------------------------------------------------

// The text of the QR code in a PNG, read by Debian's zbarimg (zbar-tools): a decoder of its own,
// so the test checks what a phone's camera would read, not what the page's encoder was given.
function readQr(file) {
  return execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' }).trim();
}

check('an organizer adds a member; the QR code signs them in on a new phone; their referral reaches the organizer', async () => {
  const page = organizer;
  await page.waitForSelector('#roster-card:not([hidden])');
  assert.ok(await phone.locator('#roster-card').isHidden(), 'members have no roster card');
  // A category already held: the server's message, in the page's language, next to the field.
  await page.fill('#member-name', 'Chiara Longhi');
  await page.fill('#member-business', 'Longhi Fiori');
  await page.fill('#member-category', 'Plumber');
  await page.click('#member-submit');
  await page.waitForSelector('#member-error:not([hidden])', { timeout: 5000 });
  assert.equal(await page.locator('#member-error').textContent(),
    'The category “plumber” already belongs to Luca Verdi: a chapter has one member per category.');
  assert.equal(await page.locator('#member-category').getAttribute('aria-invalid'), 'true');
  await page.fill('#member-category', 'florist');
  await page.fill('#member-phone', '+39 333 5550999');
  await page.click('#member-submit');
  await page.waitForSelector('#invite:not([hidden])', { timeout: 5000 });
  assert.ok(await page.locator('#member-error').isHidden());
  const qrFile = path.join(ensureDir(env.artifactDir), 'app-invite-qr.png');
  await page.locator('#invite-qr').screenshot({ path: qrFile });
  await page.locator('#roster-card').screenshot({ path: path.join(env.artifactDir, 'app-roster.png') });
  const url = readQr(qrFile);
  assert.equal(url, await page.locator('#invite-link').textContent(), 'the QR code holds the link shown beside it');
  assert.match(url, /\/app\/#token=/);
  const added = (await server.cli(people.giulia.token, ['member', 'list', '--chapter', CHAPTER_ID])).members
    .find((m) => m.display_name === 'Chiara Longhi' || m.displayName === 'Chiara Longhi');
  assert.ok(added, 'the new member is on the server');
  assert.equal(added.category, 'florist');
  // Members' business contact is on the roster (need-to-know: organizers see it).
  assert.equal(await page.locator(`#roster-list li[data-member="${added.name}"] .roster-contact`).textContent(),
    '+39 333 5550999');

  // A second browser: the new member's phone, signed in by the link read from the QR code.
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  try {
    const newPhone = await context.newPage();
    watchConsole(newPhone, 'phone:chiara', consoleErrors);
    await newPhone.goto(url);
    await newPhone.waitForSelector('#me-name:text-is("Chiara Longhi")', { timeout: 10000 });
    const marker = stamp('first referral');
    await fillReferral(newPhone, { to: people.giulia.name, marker });
    await newPhone.click('#refer-submit');
    await newPhone.waitForSelector('#refer-ok:not([hidden])', { timeout: 5000 });
    await page.locator('#inbox li.referral', { hasText: 'From Chiara Longhi' }).waitFor({ timeout: 5000 });
  } finally {
    await context.close();
  }

  // Edit and remove: the roster follows, and a removed member's link stops working.
  await page.locator(`#roster-list li[data-member="${added.name}"] button`, { hasText: 'Edit' }).click();
  await page.fill('#member-business', 'Longhi Fiori e Piante');
  await page.click('#member-submit');
  await page.waitForSelector(`#roster-list li[data-member="${added.name}"]:has-text("Longhi Fiori e Piante")`, { timeout: 5000 });
  page.once('dialog', (dialog) => dialog.accept());
  await page.locator(`#roster-list li[data-member="${added.name}"] button`, { hasText: 'Remove' }).click();
  await page.waitForSelector(`#roster-list li[data-member="${added.name}"]`, { state: 'detached', timeout: 5000 });
  const gone = (await server.cli(people.giulia.token, ['member', 'get', added.name]));
  assert.equal(gone.state, 'MEMBER_STATE_LEFT');
  // The chapter's settings: a bad time zone refused next to its field, then a new meeting time.
  await page.fill('#settings-time-zone', 'Mars/Olympus');
  await page.click('#settings-submit');
  await page.waitForSelector('#settings-error:not([hidden])', { timeout: 5000 });
  assert.equal(await page.locator('#settings-time-zone').getAttribute('aria-invalid'), 'true');
  await page.fill('#settings-time-zone', 'Europe/Rome');
  await page.fill('#settings-time', '07:30');
  await page.click('#settings-submit');
  await page.waitForSelector('#settings-ok:not([hidden])', { timeout: 5000 });
  const chapter = await server.cli(people.giulia.token, ['chapter', 'get', CHAPTER_ID]);
  assert.equal(chapter.meeting_time || chapter.meetingTime, '07:30');
  assert.equal(chapter.time_zone || chapter.timeZone, 'Europe/Rome');
  // The display link, as `reciproca display-url` gives it.
  await page.click('#display-link-button');
  await page.waitForSelector('#display-link:not([hidden])', { timeout: 5000 });
  assert.equal(new URL(await page.locator('#display-link').textContent()).hash, new URL(displayUrl).hash);
});

check('the organizer closes the meeting from the phone', async () => {
  const page = organizer;
  // Sara gives next week's feature presentation (the rotation, set with the CLI): the display's
  // closing recap says so.
  const held = await server.cli(people.giulia.token, ['meeting', 'get', meeting]);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.parse(held.start_time || held.startTime)));
  const nextWeek = new Date(Date.parse(`${day}T00:00:00Z`) + 7 * 86400000).toISOString().slice(0, 10);
  const set = await server.cli(people.giulia.token, ['chapter', 'update', '--chapter', CHAPTER_ID,
    '--rotation', `${nextWeek}=${people.sara.name}; ${day}=${people.ana.name}`]);
  const rotation = set.feature_rotation || set.featureRotation;
  assert.deepEqual(rotation.map((w) => w.date), [day, nextWeek]);
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#run-close-button');
  await display.waitForFunction(() => document.querySelector('#segment-title').textContent === 'Thank you for coming. Givers gain!',
    null, { timeout: 5000 });
  await display.waitForSelector('#recap-next:not([hidden])', { timeout: 5000 });
  assert.equal(await display.locator('#recap-next').textContent(), "Next week: Sara Neri's feature presentation");
  await page.waitForSelector('#run-meeting[data-state="MEETING_STATE_CLOSED"]', { timeout: 5000 });
  assert.ok(await page.locator('#run-agenda').isHidden());
  assert.ok(await page.locator('#run-close-button').isHidden());
  assert.ok(await page.locator('#run-error').isHidden());
  const closed = await server.cli(people.giulia.token, ['meeting', 'get', meeting]);
  assert.equal(closed.state, 'MEETING_STATE_CLOSED');
  // Members see it closed too: no visitor form any more.
  await phone.waitForSelector('#visitor-card', { state: 'hidden', timeout: 5000 });
});

check('the organizer submits the week\'s PALMS (after a confirmation) and the phones show it', async () => {
  const page = organizer;
  const button = page.locator('#run-palms-button');
  await button.waitFor({ timeout: 5000 });
  // Dismissing the confirmation sends nothing.
  page.once('dialog', (dialog) => dialog.dismiss());
  await button.click();
  assert.equal(await pendingCount(page), 0);
  assert.ok(!(await server.cli(people.giulia.token, ['meeting', 'get', meeting])).palms_submit_time);
  page.once('dialog', (dialog) => dialog.accept());
  await button.click();
  await page.waitForSelector('#run-meeting:has-text("PALMS submitted")', { timeout: 5000 });
  assert.ok(await button.isHidden());
  assert.ok(await page.locator('#run-cancel-button').isHidden());
  const submitted = await server.cli(people.giulia.token, ['meeting', 'get', meeting]);
  assert.ok(submitted.palms_submit_time || submitted.palmsSubmitTime, JSON.stringify(submitted));
  await phone.waitForSelector('#meeting-state:text-is("Closed. PALMS submitted.")', { timeout: 5000 });
});

check('the organizer cancels next week\'s meeting with a reason and the phones show it', async () => {
  const page = organizer;
  const start = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().slice(0, 16) + 'Z';
  const next = (await server.cli(people.giulia.token, ['meeting', 'schedule', '--chapter', CHAPTER_ID, '--start', start])).name;
  const button = page.locator('#run-cancel-button');
  await button.waitFor({ timeout: 5000 });
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /^Cancel the meeting of /);
    dialog.accept('Venue closed');
  });
  await button.click();
  await page.waitForSelector('#run-meeting[data-state="MEETING_STATE_CANCELLED"]', { timeout: 5000 });
  assert.match(await page.locator('#run-meeting').textContent(), / · cancelled · Venue closed$/);
  assert.ok(await button.isHidden());
  const cancelled = await server.cli(people.giulia.token, ['meeting', 'get', next]);
  assert.equal(cancelled.state, 'MEETING_STATE_CANCELLED');
  assert.equal(cancelled.cancel_reason || cancelled.cancelReason, 'Venue closed');
  await phone.waitForSelector('#meeting-state:text-is("Cancelled: Venue closed")', { timeout: 5000 });
  assert.equal(await phone.locator('#meeting-title').textContent(), 'Next meeting');
});

check('the organizer\'s reports: PALMS, who gave to whom as a heat map, absences; each CSV is the CLI\'s', async () => {
  const page = organizer;
  assert.ok(await phone.locator('#reports-card').isHidden(), 'members have no reports card');
  await page.waitForSelector('#reports-card:not([hidden])');
  await page.click('#reports-submit');
  await page.waitForSelector('#reports-body:not([hidden])', { timeout: 5000 });
  const range = ['--chapter', CHAPTER_ID, '--from', await page.inputValue('#reports-from'), '--to', await page.inputValue('#reports-to')];
  // The heat map: one square per ordered pair, the number the server counts (through the CLI).
  const matrix = await server.cli(people.giulia.token, ['report', 'matrix', ...range]);
  const given = matrix.cells.filter((c) => c.referrals > 0);
  assert.ok(given.length > 3, `the meeting's referrals are in the matrix: ${JSON.stringify(matrix.cells)}`);
  for (const cell of given) {
    assert.equal(await page.locator(`#reports-matrix td[data-giver="${cell.giver}"][data-receiver="${cell.receiver}"]`).textContent(),
      String(cell.referrals), `${cell.giver} > ${cell.receiver}`);
  }
  assert.equal(await page.locator('#reports-matrix td:not(.self):not(:empty)').count(), given.length);
  assert.equal(await page.locator('#reports-matrix tbody tr').count(), matrix.members.length);
  // PALMS and absences: a row per member, as the server has them.
  const palms = await server.cli(people.giulia.token, ['report', 'palms', ...range]);
  assert.equal(await page.locator('#reports-palms tbody tr').count(), palms.rows.length);
  const absences = await server.cli(people.giulia.token, ['report', 'absences', '--chapter', CHAPTER_ID, '--as-of', range[5]]);
  assert.equal(await page.locator('#reports-absences li').count(), absences.rows.length);
  assert.equal(await page.locator('#reports-absences li.alert').count(), absences.rows.filter((r) => r.alert).length);
  // Each download is, byte for byte, what `reciproca report ... --csv` prints for the same days.
  const cliCsv = async (args) => {
    const result = await server.runCli(people.giulia.token, [...args, '--csv']);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  for (const [button, args] of [['#reports-palms-csv', ['report', 'palms', ...range]],
    ['#reports-matrix-csv', ['report', 'matrix', ...range]],
    ['#reports-absences-csv', ['report', 'absences', '--chapter', CHAPTER_ID, '--as-of', range[5]]]]) {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 5000 }), page.click(button)]);
    assert.match(download.suggestedFilename(), new RegExp(`^${CHAPTER_ID}-(palms|matrix|absences)-.*\\.csv$`));
    assert.equal(readFileSync(await download.path(), 'utf8'), await cliCsv(args), button);
  }
  await page.locator('#reports-card').screenshot({ path: path.join(ensureDir(env.artifactDir), 'app-reports.png') });
});

check('without plugins the display and the phone show no scores, boards or reminders', async () => {
  const bare = new Server({ plugins: false });
  let ok = false;
  try {
    await bare.start();
    const admin = bare.adminToken();
    await bare.cli(admin, ['chapter', 'create', '--id', 'no-plugins', '--name', 'Plain Chapter']);
    const org = await bare.cli(admin, ['member', 'add', '--chapter', 'no-plugins', '--name', 'Olga Mori',
      '--business', 'Mori Print', '--category', 'printer', '--role', 'president']);
    const member = await bare.cli(admin, ['member', 'add', '--chapter', 'no-plugins', '--name', 'Piero Gatti',
      '--business', 'Gatti Cars', '--category', 'car dealer']);
    const start = new Date(Date.now() + 10 * 60 * 1000).toISOString().slice(0, 16) + 'Z';
    const m = (await bare.cli(org.access_token, ['meeting', 'schedule', '--chapter', 'no-plugins', '--start', start])).name;
    await bare.cli(org.access_token, ['meeting', 'open', m]);
    await bare.cli(member.access_token, ['refer', '--to', org.member.name, '--temperature', '2', '--inside']);
    const url = (await bare.cli(org.access_token, ['display-url', '--chapter', 'no-plugins'])).url;
    const context = await browser.newContext({ viewport: DISPLAY_VIEWPORT });
    const page = await context.newPage();
    watchConsole(page, 'display:no-plugins', consoleErrors);
    await page.goto(url);
    await page.waitForSelector('#conn[data-state="live"]');
    await page.waitForSelector('#ticker-list .kind-referral');
    await sleep(500);
    assert.ok(await page.locator('#leaderboard-panel').isHidden());
    assert.ok(await page.locator('#traffic-panel').isHidden());
    const invite = (await bare.cli(org.access_token, ['member', 'invite-link', '--chapter', 'no-plugins',
      '--member', member.member.name])).url;
    const phoneNoPlugins = await context.newPage();
    watchConsole(phoneNoPlugins, 'phone:no-plugins', consoleErrors);
    await phoneNoPlugins.goto(invite);
    await phoneNoPlugins.waitForSelector('#me-name:text-is("Piero Gatti")');
    await phoneNoPlugins.waitForSelector('#conn[data-state="live"]');
    await sleep(500);
    assert.ok(await phoneNoPlugins.locator('#score-card').isHidden());
    assert.ok(await phoneNoPlugins.locator('#reminders-card').isHidden());
    assert.ok(await phoneNoPlugins.locator('#jump-score').isHidden());
    await context.close();
    ok = true;
  } finally {
    await bare.stop();
    bare.cleanup(ok);
  }
});

check('no errors in the browser console', async () => {
  if (phoneContext) await phoneContext.close();
  if (organizerContext) await organizerContext.close();
  const own = consoleErrors.filter((e) => !e.network);
  assert.deepEqual(own, [], own.map((e) => `${e.page}: ${e.text}`).join('\n'));
});
