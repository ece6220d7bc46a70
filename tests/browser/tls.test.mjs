// The phone page over HTTPS, as on a room's Wi-Fi (docs/tls.md): certificates made by
// deploy/make-certs.sh, reciprocad serving gRPC over TLS and the pages over HTTPS with them, the
// CLI trusting the CA (--ca-cert through RECIPROCA_CA_CERT), and Chromium trusting the server's
// certificate by its public key (--ignore-certificate-errors-spki-list: the certificate counts
// as valid, so the page is a secure context and may run its service worker).
//
// The phone opens the page by a LAN name (LAN_HOST, which Chromium resolves to 127.0.0.1), not
// by 127.0.0.1: browsers treat a loopback address as a secure context even over plain HTTP, so
// only a LAN name shows that HTTPS is what keeps the service worker, and the offline mode, on.
// Web Push (docs/push.md): the service worker's push handler shows a push delivered through the
// DevTools protocol (headless Chromium cannot subscribe to a real push service), and over plain
// HTTP by a LAN name the notifications card says that HTTPS is needed.
// Run by tests/browser/run.sh BUILD_DIR.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Server, launchChromium, watchConsole } from './lib/harness.mjs';
import { PHONE, referOffline, serviceWorkerReady } from './lib/phone.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const server = new Server({ plugins: false });
const consoleErrors = [];
const CHAPTER_ID = 'lan';
const LAN_HOST = 'reciproca.lan.test';
let browser;
let ok = false;
const people = {};

// base64(SHA-256(SubjectPublicKeyInfo)), the form Chromium's SPKI list takes.
function spkiHash(certFile) {
  const spki = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

before(async () => {
  const dir = path.join(server.work, 'tls');
  execFileSync('bash', [path.join(root, 'deploy/make-certs.sh'), '--dir', dir, LAN_HOST], { stdio: 'pipe' });
  server.tls = { cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key'), ca: path.join(dir, 'ca.crt') };
  await server.start();
  browser = await launchChromium([`--ignore-certificate-errors-spki-list=${spkiHash(server.tls.cert)}`,
    `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`]);
  const admin = server.adminToken();
  await server.cli(admin, ['chapter', 'create', '--id', CHAPTER_ID, '--name', 'LAN Breakfast',
    '--weekday', 'tue', '--time', '07:00', '--timezone', 'Europe/Rome', '--currency', 'EUR']);
  for (const [key, name, category, extra] of [
    ['giulia', 'Giulia Conti', 'event planner', ['--role', 'president']],
    ['paolo', 'Paolo Greco', 'photographer', []],
  ]) {
    const created = await server.cli(admin, ['member', 'add', '--chapter', CHAPTER_ID, '--name', name,
      '--business', `${name} Ltd`, '--category', category, ...extra]);
    people[key] = { name: created.member.name, token: created.access_token };
  }
});

after(async () => {
  if (browser) await browser.close();
  await server.stop();
  server.cleanup(ok);
  const own = consoleErrors.filter((e) => !e.network);
  if (own.length) process.stderr.write(`page errors:\n${own.map((e) => `  ${e.page}: ${e.text}`).join('\n')}\n`);
});

test('the phone page over HTTPS: service worker active, offline, the outbox lands once', async () => {
  const invite = await server.cli(people.giulia.token, ['member', 'invite-link', '--chapter', CHAPTER_ID,
    '--member', people.paolo.name]);
  assert.match(invite.url, /^https:\/\/127\.0\.0\.1:\d+\/app\//);
  const url = new URL(invite.url);
  url.hostname = LAN_HOST;
  const context = await browser.newContext({ ...PHONE });
  const page = await context.newPage();
  watchConsole(page, 'phone:https', consoleErrors);
  const response = await page.goto(url.href);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['strict-transport-security'], 'max-age=15552000');
  await page.waitForSelector('#me-name:text-is("Paolo Greco")', { timeout: 10000 });
  assert.deepEqual(await page.evaluate(() => [window.isSecureContext, location.host]),
    [true, `${LAN_HOST}:${server.httpPort}`]);

  // The service worker registers, activates and controls the page.
  assert.equal(await serviceWorkerReady(page), 'activated');

  // Offline: the page still opens from the worker's cache, and a referral waits in the outbox
  // until the phone is back online; then it is recorded once.
  const marker = `offline over https #${Math.random().toString(36).slice(2, 8)}`;
  await referOffline(context, page, { me: 'Paolo Greco', to: people.giulia.name, marker });
  const list = await server.cli(people.giulia.token, ['referral', 'list', '--chapter', CHAPTER_ID,
    '--giver', people.paolo.name, '--limit', '100']);
  assert.equal((list.referrals || []).filter((r) => (r.note || '') === marker).length, 1);
  await context.close();
  assert.deepEqual(consoleErrors.filter((e) => !e.network), []);
  ok = true;
});

test('push: the service worker shows a delivered push as a notification', async () => {
  ok = false;
  const invite = await server.cli(people.giulia.token, ['member', 'invite-link', '--chapter', CHAPTER_ID,
    '--member', people.paolo.name]);
  const url = new URL(invite.url);
  url.hostname = LAN_HOST;
  const context = await browser.newContext({ ...PHONE });
  await context.grantPermissions(['notifications'], { origin: url.origin });
  const page = await context.newPage();
  watchConsole(page, 'phone:push', consoleErrors);
  await page.goto(url.href);
  await page.waitForSelector('#me-name:text-is("Paolo Greco")', { timeout: 10000 });
  assert.equal(await serviceWorkerReady(page), 'activated');
  // Over HTTPS the card offers the choices and the switch (loaded after the first render).
  await page.waitForSelector('#push-kinds input[data-kind="PUSH_KIND_THANKED"]', { timeout: 10000 });
  assert.equal(await page.isDisabled('#push-toggle'), false);
  assert.equal(await page.isHidden('#push-notice'), true);

  // The push, as a push service would deliver it, to the page's registration.
  const cdp = await context.newCDPSession(page);
  const registration = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL === `${url.origin}/app/` && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const payload = { kind: 'thanked', title: 'You were thanked', body: 'Giulia Conti thanked you for 1250.00 EUR of closed business.', url: '/app/', tag: 'thanks-1' };
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: url.origin, registrationId: await registration, data: JSON.stringify(payload),
  });
  let shown = [];
  for (let i = 0; i < 50 && shown.length === 0; i += 1) {
    shown = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
      .map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url })));
    if (shown.length === 0) await page.waitForTimeout(100);
  }
  assert.deepEqual(shown, [{ title: payload.title, body: payload.body, tag: 'thanks-1', url: '/app/' }]);
  await context.close();
  assert.deepEqual(consoleErrors.filter((e) => !e.network), []);
  ok = true;
});

test('push: over plain HTTP by a LAN name the card says notifications need HTTPS', async () => {
  ok = false;
  const plain = new Server({ plugins: false });
  try {
    await plain.start();
    const admin = plain.adminToken();
    await plain.cli(admin, ['chapter', 'create', '--id', 'plain', '--name', 'Plain Breakfast',
      '--weekday', 'tue', '--time', '07:00', '--timezone', 'Europe/Rome', '--currency', 'EUR']);
    const created = await plain.cli(admin, ['member', 'add', '--chapter', 'plain', '--name', 'Rita Sala',
      '--business', 'Sala Ltd', '--category', 'baker']);
    const invite = await plain.cli(admin, ['member', 'invite-link', '--chapter', 'plain', '--member', created.member.name]);
    const url = new URL(invite.url);
    url.hostname = LAN_HOST;
    for (const [lang, text] of [['en', 'Notifications need a secure (https) address'],
      ['it', 'Le notifiche richiedono un indirizzo sicuro (https)'],
      ['es', 'Las notificaciones necesitan una dirección segura (https)']]) {
      const context = await browser.newContext({ ...PHONE, locale: lang });
      const page = await context.newPage();
      await page.goto(url.href);
      await page.waitForSelector('#me-name:text-is("Rita Sala")', { timeout: 10000 });
      assert.equal(await page.evaluate(() => window.isSecureContext), false);
      await page.waitForSelector('#push-notice:not([hidden])', { timeout: 10000 });
      assert.match(await page.textContent('#push-notice'), new RegExp(text.replace(/[()]/g, '\\$&')));
      assert.equal(await page.isDisabled('#push-toggle'), true);
      await context.close();
    }
    ok = true;
  } finally {
    await plain.stop();
    plain.cleanup(ok);
  }
});
