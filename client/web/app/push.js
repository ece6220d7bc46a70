// Notifications that reach this phone while the page is closed (Web Push, docs/push.md): the
// member picks what to receive and turns them on; the browser's push subscription goes to the
// server (PushService.SubscribePush) with the choices, and the service worker (sw.js) shows what
// arrives. Loaded after the page's first render (app.js), so it never slows it down.
//
// Browsers allow push only on a secure origin: on plain http (a LAN address) the card says so.

import { call } from '/shared/api.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { t } from '/shared/i18n.js';
import { M, state } from '/app/state.js';

const KINDS = [
  ['PUSH_KIND_REFERRAL', 'app.push.kind_referral'],
  ['PUSH_KIND_THANKED', 'app.push.kind_thanked'],
  ['PUSH_KIND_NOT_CONTACTED', 'app.push.kind_not_contacted'],
  ['PUSH_KIND_VISITOR_FOLLOWED_UP', 'app.push.kind_visitor_followed_up'],
  ['PUSH_KIND_MEETING_SOON', 'app.push.kind_meeting_soon'],
];

let settings = null; // the server's PushSettings
let busy = false;

export async function wirePush() {
  const toggle = byId('push-toggle');
  if (!window.isSecureContext) return notice(t('app.push.needs_https'));
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return notice(t('app.push.unsupported'));
  }
  const answer = await call(M.getPushSettings, { chapter: state.chapterName }, { token: state.token });
  if (!answer.ok) return notice(answer.message);
  settings = answer.body;
  if (!settings.enabled) return notice(t('app.push.disabled'));
  const chosen = new Set(settings.kinds && settings.kinds.length ? settings.kinds : KINDS.map(([kind]) => kind));
  replaceChildren(byId('push-kinds'), h('legend', { text: t('app.push.kinds') }), KINDS.map(([kind, key]) =>
    h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: kind, checked: chosen.has(kind), attrs: { 'data-kind': kind } }),
      ` ${t(key, { minutes: settings.meetingLeadMinutes || 15 })}`)));
  byId('push-kinds').addEventListener('change', async () => {
    if (await currentSubscription()) await subscribe();
  });
  toggle.addEventListener('click', async () => {
    if (await currentSubscription()) await unsubscribe();
    else await subscribe();
  });
  toggle.disabled = false;
  await renderState();
}

function notice(text) {
  const element = byId('push-notice');
  setText(element, text);
  element.hidden = false;
  byId('push-toggle').disabled = true;
  byId('push-kinds').disabled = true;
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

async function renderState() {
  const on = Boolean(await currentSubscription()) && Notification.permission === 'granted';
  setText(byId('push-state'), t(on ? 'app.push.on' : 'app.push.off'));
  setText(byId('push-toggle'), t(on ? 'app.push.turn_off' : 'app.push.turn_on'));
}

function chosenKinds() {
  return [...byId('push-kinds').querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
}

// base64url -> bytes, for applicationServerKey.
function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function fail(message) {
  const element = byId('push-error');
  setText(element, message);
  element.hidden = !message;
}

async function subscribe() {
  if (busy) return;
  busy = true;
  fail('');
  try {
    if ((await Notification.requestPermission()) !== 'granted') return fail(t('app.push.denied'));
    const registration = await navigator.serviceWorker.ready;
    const subscription = (await registration.pushManager.getSubscription()) ||
      (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(settings.applicationServerKey) }));
    const { endpoint, keys } = subscription.toJSON();
    const answer = await call(M.subscribePush, {
      chapter: state.chapterName, endpoint, p256dh: keys.p256dh, auth: keys.auth, kinds: chosenKinds(),
    }, { token: state.token });
    if (!answer.ok) fail(t('app.push.failed', { message: answer.message }));
  } catch (error) {
    fail(t('app.push.failed', { message: error.message || String(error) }));
  } finally {
    busy = false;
    await renderState();
  }
}

async function unsubscribe() {
  if (busy) return;
  busy = true;
  fail('');
  try {
    const subscription = await currentSubscription();
    if (subscription) {
      await call(M.unsubscribePush, { chapter: state.chapterName, endpoint: subscription.endpoint }, { token: state.token });
      await subscription.unsubscribe();
    }
  } catch (error) {
    fail(t('app.push.failed', { message: error.message || String(error) }));
  } finally {
    busy = false;
    await renderState();
  }
}
