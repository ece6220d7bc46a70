// A real-sized chapter's meeting in Italian and in Spanish (issue 10, items 4-6): the room display
// (1920x1080, 1280x720, 1024x768), the organizer's phone and a member's phone, with the long-name
// fixture (lib/fixture.mjs). The display's layout is checked programmatically (lib/layout.mjs),
// both pages by axe-core, and the screenshots of docs/screenshots are taken here.
// One server and one Chromium for the whole file. Run by tests/browser/run.sh BUILD_DIR.

import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { seedLongNames } from './lib/fixture.mjs';
import { Server, ensureDir, env, launchChromium, sleep, timedCheck, watchConsole } from './lib/harness.mjs';
import { PHONE } from './lib/phone.mjs';
import { layoutProblems } from './lib/layout.mjs';

const server = new Server();
const consoleErrors = [];
const timings = {};
const chapters = {};
let browser;
const outcome = { failures: 0 };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// axe-core rules not run, and why (none today: both pages pass every rule of WCAG 2.1 A/AA).
const AXE_DISABLED = [];
// The organizers' page is mobile-first and also used on a laptop at the meeting's front table.
const LAPTOPS = [{ viewport: { width: 1366, height: 768 } }, { viewport: { width: 1920, height: 1080 } }];

const CASES = {
  it: {
    id: 'roma-eur',
    chapterName: 'Capitolo Roma EUR Colazione',
    displayAmounts: true,
    locale: 'it-IT',
    presentations: 'Presentazioni da 60 secondi',
    live: 'In diretta',
    ticker: 'Referenze e grazie in diretta',
    speaking: 'Sta parlando',
    thanked: 'ringrazia',
    closed: 'Riunione chiusa',
    recapTitle: 'Questa riunione',
    selfReferral: 'Non puoi passare una referenza a te stesso.',
    substitutePast: /^Il 2020-01-07 è già passato/,
    contactRequired: 'Una referenza esterna richiede il telefono o l’indirizzo e-mail del contatto.',
  },
  es: {
    id: 'madrid-centro',
    chapterName: 'Capítulo Madrid Centro Desayunos',
    displayAmounts: false,
    locale: 'es-ES',
    presentations: 'Presentaciones de 60 segundos',
    live: 'En directo',
    ticker: 'Referencias y gracias en directo',
    speaking: 'Tiene la palabra',
    thanked: 'da las gracias a',
    closed: 'Reunión cerrada',
    recapTitle: 'Esta reunión',
    selfReferral: 'No puedes pasarte una referencia a ti mismo.',
    substitutePast: /^El 2020-01-07 ya ha pasado/,
    contactRequired: 'Una referencia externa necesita el teléfono o el correo electrónico del contacto.',
    provisional: 'nuevos',
  },
};

const check = timedCheck(test, timings, outcome);
// A long substitute's name, as Italian and Spanish names are.
const SUBSTITUTE = 'Maria Letizia Castiglioni Buonarroti';

before(async () => {
  const t0 = Date.now();
  await server.start();
  browser = await launchChromium();
  timings['setup: server and Chromium'] = Date.now() - t0;
  const t1 = Date.now();
  for (const [lang, c] of Object.entries(CASES)) {
    chapters[lang] = await seedLongNames(server, { id: c.id, chapterName: c.chapterName, language: lang, displayAmounts: c.displayAmounts });
  }
  timings['setup: two long-name chapters seeded'] = Date.now() - t1;
});

after(async () => {
  if (browser) await browser.close();
  await server.stop();
  server.cleanup(outcome.failures === 0);
  const rows = Object.entries(timings).map(([name, ms]) => `  ${String(ms).padStart(6)} ms  ${name}`);
  process.stdout.write(`\nbrowser test timings (room):\n${rows.join('\n')}\n`);
});

async function assertLayout(page, what, options = {}) {
  const problems = await layoutProblems(page, options);
  if (problems.length) {
    // What the check saw, for whoever reads the failure.
    const file = path.join(ensureDir(env.artifactDir), `layout-${what.replace(/[^\w]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    problems.push(`(screenshot: ${file})`);
  }
  assert.deepEqual(problems, [], `${what}:\n${problems.join('\n')}`);
}

// axe-core in the page: no serious or critical violation.
async function assertAccessible(page, what) {
  // Evaluated through the driver: the pages' Content-Security-Policy allows no inline script.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (disabled) => {
    const rules = Object.fromEntries(disabled.map((r) => [r.id, { enabled: false }]));
    // eslint-disable-next-line no-undef
    const run = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, rules });
    return run.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_DISABLED);
  assert.deepEqual(result, [], `axe-core on ${what}:\n${result.join('\n')}`);
}

async function screenshot(page, file, dir = path.join(env.artifactDir, 'room')) {
  ensureDir(dir);
  await page.screenshot({ path: path.join(dir, file) });
  if (env.updateDocs) copyFileSync(path.join(dir, file), path.join(ensureDir(path.join(env.docsDir, 'screenshots')), file));
}

// The viewport once `selector` is scrolled into view (smooth scrolling settled).
async function screenshotAt(page, selector, file) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await sleep(300);
  await screenshot(page, file, env.artifactDir);
}

async function openPhone(lang, member, device = PHONE) {
  const context = await browser.newContext({ ...device, locale: CASES[lang].locale, serviceWorkers: 'block', reducedMotion: 'reduce' });
  const page = await context.newPage();
  watchConsole(page, `phone:${lang}:${member.displayName}`, consoleErrors);
  const invite = (await server.cli(chapters[lang].organizer.token, ['member', 'invite-link', '--chapter', CASES[lang].id,
    '--member', member.name])).url;
  await page.goto(invite);
  await page.waitForSelector(`#me-name:text-is("${member.displayName}")`, { timeout: 10000 });
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 10000 });
  return { context, page };
}

const text = (page, selector) => page.locator(selector).first().textContent();

for (const lang of Object.keys(CASES)) {
  const language = new Intl.DisplayNames('en', { type: 'language' }).of(lang);
  check(`a real-sized chapter's meeting in ${language}: display, organizer's phone, member's phone`, async () => {
    const want = CASES[lang];
    const f = chapters[lang];
    const speaker = f.members[1]; // Giovanni Battista Colombo
    const next = f.members[2]; // María José Fernández López

    // The room display, 1920x1080, in the chapter's language.
    const room = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-US', reducedMotion: 'reduce' });
    const display = await room.newPage();
    watchConsole(display, `display:${lang}`, consoleErrors);
    if (want.provisional) {
      // The scoring plugin's answer for a new chapter (the contract with plugins/traffic_light):
      // most members "provisional", too new for a band; they must not count as red.
      await display.route('**/api/reciproca.v1.InsightService/GetScores', (route) => route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          window: '6m',
          scores: f.members.map((m, i) => ({ member: m.name, displayName: m.displayName, band: ['green', 'red'][i] || 'provisional' })),
        }),
      }));
    }
    await display.goto(f.displayUrl);
    await display.waitForSelector('#conn[data-state="live"]', { timeout: 10000 });
    assert.equal(await display.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await text(display, '#ticker-heading'), want.ticker);
    assert.equal(await text(display, '#conn-text'), want.live);
    await display.waitForSelector('#ticker-list .kind-thanks');
    // Who thanked whom, in words.
    const thanks = (await text(display, '#ticker-list .kind-thanks .ticker-names')).replace(/\s+/g, ' ').trim();
    assert.match(thanks, new RegExp(`^\\S.* ${want.thanked} \\S.*$`), thanks);
    assert.equal(await display.locator('#ticker-list .kind-thanks .ticker-amount:visible').count() > 0, want.displayAmounts);

    // The organizer starts the 60-second presentations from the phone, the long names speak.
    const organizer = await openPhone(lang, f.organizer);
    await organizer.page.click(`#run-quick button[data-title="${want.presentations}"]`);
    await organizer.page.selectOption('#segment-speaker', speaker.name);
    await organizer.page.click('#segment-submit');
    await display.waitForFunction((name) => document.querySelector('#speaker-name').textContent === name, speaker.displayName, { timeout: 5000 });
    await display.waitForFunction(() => document.querySelector('#next-name').textContent !== '', null, { timeout: 5000 });
    assert.equal(await text(display, '.speaker-label'), want.speaking);
    // Every check-in is a chip or counted in "+N".
    const chips = await display.locator('#checkins li.chip:not(.more)').count();
    const more = display.locator('#checkins li.chip.more');
    const hidden = (await more.count()) ? Number(/\d+/.exec(await more.textContent())[0]) : 0;
    assert.equal(chips + hidden, f.here);
    const visitors = await display.locator('#visitors li.visitor:not(.more)').count();
    const moreVisitors = display.locator('#visitors li.more');
    assert.equal(visitors + ((await moreVisitors.count()) ? Number(/\d+/.exec(await moreVisitors.textContent())[0]) : 0), 12);
    await display.waitForSelector('#traffic-panel:not([hidden])', { timeout: 5000 });
    if (want.provisional) {
      const counts = await display.locator('#traffic-counts li').evaluateAll((items) => items.map((li) =>
        [li.dataset.band, li.querySelector('.traffic-number').textContent, li.querySelector('.traffic-label').textContent]));
      assert.deepEqual(counts, [['green', '1', 'Verde'], ['red', '1', 'Rojo'], ['provisional', String(f.members.length - 2), want.provisional]]);
      assert.equal(await display.locator('#traffic-bar .traffic-part').count(), 2, 'the new members are not in the bar');
    }
    const summary = await display.evaluate(async () => {
      const { trafficSummary } = await import('/display/summary.js');
      const s = trafficSummary([{ band: 'red' }, { band: 'provisional' }, { band: 'provisional' }, { band: 'green' }, { band: 'blue' }]);
      return { counts: [...s.counts], provisional: s.provisional };
    });
    assert.deepEqual(summary, { counts: [['green', 1], ['red', 1], ['blue', 1]], provisional: 2 });
    await sleep(300);
    await assertLayout(display, `display ${lang} 1920x1080`, { minFontPx: 28 });
    await screenshot(display, `room-display-${lang}-1080.png`);
    await display.setViewportSize({ width: 1280, height: 720 });
    await sleep(400);
    await assertLayout(display, `display ${lang} 1280x720`);
    await screenshot(display, `room-display-${lang}-720.png`);
    await display.setViewportSize({ width: 1024, height: 768 });
    await sleep(400);
    await assertLayout(display, `display ${lang} 1024x768`);
    await display.setViewportSize({ width: 1920, height: 1080 });

    // Overrun: the red bar, "over" and the speaker's lines do not meet.
    const overrun = await server.api(f.organizer.token, 'reciproca.v1.MeetingService/StartSegment',
      { name: f.meeting, title: want.presentations, countdownSeconds: 1, speaker: next.name, requestId: `overrun-${lang}` });
    assert.equal(overrun.status, 200, overrun.text);
    await display.waitForSelector('#countdown.overrun', { timeout: 5000 });
    await sleep(500);
    await assertLayout(display, `display ${lang} in overrun`, { minFontPx: 28 });
    await display.setViewportSize({ width: 1280, height: 720 });
    await sleep(400);
    await assertLayout(display, `display ${lang} in overrun, 1280x720`);
    await display.setViewportSize({ width: 1920, height: 1080 });
    await assertAccessible(display, `the display in ${language}`);

    // A member's phone: the server's refusal in the page's language, next to the field.
    const member = await openPhone(lang, f.members[5]);
    const phone = member.page;
    await phone.selectOption('#refer-to', f.members[5].name);
    await phone.check('input[name="kind"][value="REFERRAL_KIND_INSIDE"]', { force: true });
    await phone.check('input[name="temperature"][value="3"]', { force: true });
    await phone.click('#refer-submit');
    await phone.waitForSelector('#refer-error:not([hidden])', { timeout: 5000 });
    assert.equal((await text(phone, '#refer-error')).trim(), want.selfReferral);
    assert.equal(await phone.locator('#refer-to').getAttribute('aria-invalid'), 'true');
    // Offline, an outside referral without phone or e-mail is refused on the phone, in the
    // server's words (its catalog, served at /shared/errors), not queued to fail later.
    await member.context.setOffline(true);
    await phone.selectOption('#refer-to', f.members[6].name);
    await phone.check('input[name="kind"][value="REFERRAL_KIND_OUTSIDE"]', { force: true });
    await phone.fill('#refer-contact-name', 'Giorgio Maria Marino');
    await phone.click('#refer-submit');
    await phone.waitForFunction((m) => document.querySelector('#refer-error').textContent.trim() === m, want.contactRequired, { timeout: 5000 });
    assert.equal(await phone.locator('#refer-contact-phone').getAttribute('aria-invalid'), 'true');
    assert.equal(Number(await text(phone, '#pending-count') || 0), 0, 'nothing queued');
    assert.ok(await phone.locator('#refer-ok').isHidden());
    await member.context.setOffline(false);
    const formatted = await phone.evaluate(async () => {
      const { formatPattern } = await import('/shared/reasons.js');
      const plural = '{count, plural, =0 {none of {max}} one {# item of {max}} other {# items of {max}}}';
      const select = '{state, select, CLOSED {closed} other {not open}}, {who}';
      return [formatPattern(plural, { count: 0, max: 5 }, 'en'), formatPattern(plural, { count: 1, max: 5 }, 'en'),
        formatPattern(plural, { count: 12500, max: 5 }, 'it'), formatPattern(select, { state: 'CLOSED', who: 'Anna' }, 'en'),
        formatPattern(select, { state: 'SCHEDULED', who: 'Anna' }, 'en')];
    });
    assert.deepEqual(formatted, ['none of 5', '1 item of 5', '12.500 items of 5', 'closed, Anna', 'not open, Anna']);
    await phone.fill('#refer-contact-phone', '+39 333 5550190');
    await phone.click('#refer-submit');
    await phone.waitForSelector('#refer-ok:not([hidden])', { timeout: 5000 });
    await display.waitForSelector(`#ticker-list .kind-referral .receiver:text-is("${f.members[6].displayName}")`, { timeout: 5000 });
    await phone.waitForSelector('#score-card:not([hidden])', { timeout: 5000 }).catch(() => {});
    await sleep(300);
    await screenshot(phone, `room-app-${lang}.png`);
    for (const [page, what] of [[phone, 'phone'], [display, 'display']]) {
      const shown = await page.evaluate(() => document.body.innerText);
      assert.doesNotMatch(shown, /chapters\/[\w-]+/, `no resource names on the ${what}`);
    }
    await assertAccessible(phone, `the phone page in ${language}`);

    // The organizers' roster with the long names, a member's invite QR open: nothing cut or
    // overlapping at phone width (the display's layout check, on the roster card).
    const roster = organizer.page.locator('#roster-card');
    await roster.waitFor();
    await organizer.page.locator(`#roster-list li[data-member="${f.members[2].name}"] .roster-actions button`).first().click();
    await organizer.page.waitForSelector('#invite:not([hidden]) svg', { timeout: 5000 });
    assert.equal(await text(organizer.page, '#invite-title').then((s) => s.includes(f.members[2].displayName)), true);
    await assertLayout(organizer.page, `the organizer's roster in ${language}`, { regions: '#roster-card' });
    await screenshotAt(organizer.page, '#invite', `room-roster-${lang}.png`);
    // The agenda editor, filled with the usual agenda in the language: fits the phone too.
    await organizer.page.click('#agenda-usual');
    await assertLayout(organizer.page, `the organizer's agenda editor in ${language}`, { regions: '#roster-card' });
    await screenshotAt(organizer.page, '#agenda-form', `room-agenda-${lang}.png`);
    // The feature-presentation rotation, two weeks with long names: saved, read back by the CLI.
    await organizer.page.click('#rotation-add');
    await organizer.page.selectOption('#rotation-rows li:nth-child(1) select', f.members[2].name);
    await organizer.page.click('#rotation-add');
    await organizer.page.selectOption('#rotation-rows li:nth-child(2) select', f.members[1].name);
    const days = await organizer.page.locator('#rotation-rows input[type="date"]').evaluateAll((inputs) => inputs.map((i) => i.value));
    await organizer.page.click('#rotation-submit');
    await organizer.page.waitForSelector('#rotation-ok:not([hidden])', { timeout: 5000 });
    const planned = (await server.cli(f.organizer.token, ['chapter', 'get', want.id])).feature_rotation || [];
    assert.deepEqual(planned.map((w) => [w.date, w.member]), [[days[0], f.members[2].name], [days[1], f.members[1].name]]);
    await assertLayout(organizer.page, `the organizer's rotation editor in ${language}`, { regions: '#roster-card' });
    await screenshotAt(organizer.page, '#rotation-form', `room-rotation-${lang}.png`);

    // A substitute registered ahead on the member's phone: a day already past is refused in the
    // chapter's language with the date marked; next week's is listed, on the organizer's page too.
    await phone.fill('#substitute-date', '2020-01-07');
    await phone.fill('#substitute-name', SUBSTITUTE);
    await phone.click('#substitute-submit');
    await phone.waitForSelector('#substitute-error:not([hidden])', { timeout: 5000 });
    assert.match(await text(phone, '#substitute-error'), want.substitutePast);
    assert.equal(await phone.locator('#substitute-date').getAttribute('aria-invalid'), 'true');
    await phone.fill('#substitute-date', days[0]);
    await phone.click('#substitute-submit');
    await phone.waitForSelector('#substitute-ok:not([hidden])', { timeout: 5000 });
    await phone.waitForSelector(`#substitutes-list li[data-member="${f.members[5].name}"]`, { timeout: 5000 });
    await organizer.page.waitForSelector(`#substitutes-list li[data-member="${f.members[5].name}"][data-date="${days[0]}"]`, { timeout: 5000 });
    assert.match(await text(organizer.page, '#substitutes-list li'), new RegExp(SUBSTITUTE));
    await assertLayout(phone, `the member's substitute card in ${language}`, { regions: '#substitute-card' });
    await screenshotAt(phone, '#substitute-card', `room-substitute-${lang}.png`);

    // The reports with the long names: the heat map and the tables scroll inside the card, the
    // page does not (a region wider than the phone is a problem of layoutProblems).
    await organizer.page.click('#reports-submit');
    await organizer.page.waitForSelector('#reports-body:not([hidden]) #reports-matrix td', { timeout: 5000 });
    await assertLayout(organizer.page, `the organizer's reports in ${language}`, { regions: '#reports-card' });
    await screenshotAt(organizer.page, '#reports-matrix', `room-reports-${lang}.png`);
    // The visitors' pipeline with the long names: the state badges and the moves' buttons wrap
    // inside the card at phone width.
    await organizer.page.waitForSelector('#pipeline-list li[data-state] button[data-move]', { timeout: 5000 });
    await assertLayout(organizer.page, `the organizer's visitors in ${language}`, { regions: '#pipeline-card' });
    await screenshotAt(organizer.page, '#pipeline-card', `room-visitors-${lang}.png`);

    // The same organizer on a laptop: the whole page (roster, run card, reports) fits, nothing
    // cut or overlapping, at the two common laptop and desktop widths.
    for (const device of LAPTOPS) {
      const { width, height } = device.viewport;
      const laptop = await openPhone(lang, f.organizer, device);
      await screenshotAt(laptop.page, '#me-name', `room-organizer-${lang}-${width}.png`);
      await laptop.page.click('#reports-submit');
      await laptop.page.waitForSelector('#reports-body:not([hidden]) #reports-matrix td', { timeout: 5000 });
      await assertLayout(laptop.page, `the organizer's page in ${language} at ${width}x${height}`);
      await screenshotAt(laptop.page, '#reports-matrix', `room-organizer-reports-${lang}-${width}.png`);
      await laptop.context.close();
    }

    // The organizer closes the meeting: the recap, in the language, from the records.
    organizer.page.once('dialog', (dialog) => dialog.accept());
    await organizer.page.click('#run-close-button');
    await display.waitForSelector('#recap:not([hidden]) .recap-tile', { timeout: 5000 });
    assert.equal(await text(display, '#stage-kicker'), want.closed);
    assert.equal(await text(display, '.recap-title'), want.recapTitle);
    const number = async (kind) => text(display, `.recap-tile[data-kind="${kind}"] .recap-number`);
    assert.equal(await number('referrals'), String(f.referrals + 1)); // and the one from the phone
    assert.equal(await number('thanks'), String(f.thanks));
    assert.equal(await number('visitors'), '12');
    assert.equal(await number('one-to-ones'), String(f.oneToOnes));
    assert.equal(await number('attendance'), String(f.here));
    assert.match(await text(display, '.recap-tile[data-kind="attendance"] .recap-label'), new RegExp(String(f.members.length)));
    const amount = display.locator('.recap-tile[data-kind="thanks"] .recap-extra');
    assert.equal(await amount.count(), want.displayAmounts ? 1 : 0);
    // One money format: the locale's (Intl), wherever an amount is shown.
    const amounts = await display.locator('.ticker-amount:visible, .board.money .board-value, .recap-extra').allTextContents();
    assert.equal(amounts.length > 0, want.displayAmounts);
    for (const shown of amounts) assert.match(shown, /^(\d{1,4}|\d{1,3}(\.\d{3})+),\d{2}\u00a0€$/, shown);
    await sleep(300);
    await assertLayout(display, `display ${lang} closed, recap`, { minFontPx: 28 });
    await screenshot(display, `room-display-${lang}-recap.png`);
    await Promise.all([room.close(), organizer.context.close(), member.context.close()]);
  });
}

check('no errors in the browser console', async () => {
  const own = consoleErrors.filter((e) => !e.network);
  assert.deepEqual(own, [], own.map((e) => `${e.page}: ${e.text}`).join('\n'));
});
