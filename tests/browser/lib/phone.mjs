// What the phone page's tests do on it: fill the referral form, read the outbox's count, wait
// for the service worker, pass a referral while offline.

import assert from 'node:assert/strict';

// The phone the pages' tests (and bench/web_first_render.mjs) open the phone page on.
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export async function fillReferral(page, { to, marker, temperature = '4' }) {
  await page.selectOption('#refer-to', to);
  await page.check('input[name="kind"][value="REFERRAL_KIND_OUTSIDE"]', { force: true });
  await page.fill('#refer-contact-name', 'Giorgio Marino');
  await page.fill('#refer-contact-phone', '+39 333 5550177');
  await page.check(`input[name="temperature"][value="${temperature}"]`, { force: true });
  await page.fill('#refer-note', marker);
}

// How many submissions wait in the page's outbox.
export async function pendingCount(page) {
  return Number(await page.locator('#pending-count').textContent());
}

// Waits until the page's service worker is ready and controls the page; its state.
export async function serviceWorkerReady(page) {
  // `ready` resolves as soon as the registration has an active worker, which may still be
  // 'activating' (its activate handler runs on): wait for that worker to reach 'activated'.
  const state = await page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.ready).active;
    if (!worker) return null;
    if (worker.state === 'activating') {
      await new Promise((resolve) => {
        const done = () => worker.state !== 'activating' && resolve();
        worker.addEventListener('statechange', done);
        done();
      });
    }
    return worker.state;
  });
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 5000 });
  return state;
}

// Offline, the page still opens (from the service worker's cache) as `me`, and a referral to
// `to` waits in the outbox, also across a reload; back online, it is sent (the outbox empties).
export async function referOffline(context, page, { me, to, marker }) {
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector(`#me-name:text-is("${me}")`, { timeout: 5000 });
  await fillReferral(page, { to, marker, temperature: '3' });
  await page.click('#refer-submit');
  await page.waitForSelector('#refer-ok.queued:not([hidden])', { timeout: 5000 });
  await page.reload(); // still offline: the outbox is on the phone
  await page.waitForSelector('#pending:not([hidden])', { timeout: 5000 });
  assert.equal(await pendingCount(page), 1);
  await context.setOffline(false);
  await page.waitForSelector('#pending', { state: 'hidden', timeout: 20000 });
}
