// The members' phone page: check in, pass referrals, move the ones I received forward, thank
// for closed business, log one-to-ones, register a visitor, see my score and suggestions. For
// organizers also "Run the meeting": schedule and open it, start agenda segments (with the
// one-tap "Next: <speaker>"), correct attendance and close it. Submissions go through the
// outbox (outbox.js): stored first, sent with a request id, retried with the same id.
//
// This module starts the page (sign-in, first load, the copy kept on the phone, the live stream);
// the parts live beside it: state.js (what the page knows), live.js (server reads and live
// events), answers.js (what the outbox's answers do), forms.js (the member's forms), inbox.js
// (referrals received), run.js (running the meeting, organizers) and render.js (the rest).

import { call, listAll, loadJson, takeFragmentParams } from '/shared/api.js';
import { EventStream } from '/shared/events.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { availableLanguages, languageName, t, useLanguage } from '/shared/i18n.js';
import { loadReasons } from '/shared/reasons.js';
import { Outbox } from '/app/outbox.js';
import { CACHE_KEY, LANGUAGE_KEY, M, OUTBOX_KEY, REJECTED_KEY, TOKEN_KEY, saveCache, state } from '/app/state.js';
import { fetchMeeting, onEvent, refreshInbox, refreshMeetingSoon, refreshReminders, refreshScore } from '/app/live.js';
import { onDeferred, onRejected, onSent } from '/app/answers.js';
import { wireForms } from '/app/forms.js';
import { renderRunClock, wireRun } from '/app/run.js';
import { wireReports } from '/app/reports.js';
import { wireRoster } from '/app/roster.js';
import { wireVisitors } from '/app/visitors.js';
import { wireAgendaEditor } from '/app/agenda.js';
import { wireRotationEditor } from '/app/rotation.js';
import { wireSubstitutes } from '/app/substitutes.js';
import { renderInbox } from '/app/inbox.js';
import { ROLE_KEYS, renderAll, renderPending, renderRejected } from '/app/render.js';

async function boot() {
  registerServiceWorker();
  await useLanguage(chosenLanguage() || navigator.languages || [navigator.language]);
  loadReasons(); // the server's messages for the checks made before queuing, read while online
  wireLanguagePicker();
  setConnection('connecting', t('common.connecting'));
  const params = takeFragmentParams();
  if (params.get('token')) {
    const token = params.get('token');
    const previous = window.localStorage.getItem(TOKEN_KEY);
    if (previous && previous !== token) window.localStorage.removeItem(CACHE_KEY);
    window.localStorage.setItem(TOKEN_KEY, token);
  }
  state.token = window.localStorage.getItem(TOKEN_KEY) || '';
  if (!state.token) {
    showSignin(t('app.signin.open_link'));
    return;
  }
  state.outbox = new Outbox({
    storageKey: OUTBOX_KEY,
    token: state.token,
    onChange: renderPending,
    onSent,
    onRejected,
    onDeferred,
  });
  renderPending(state.outbox.items);
  renderRejected();
  wireForms();
  wireRun();
  wireRoster(ROLE_KEYS);
  wireAgendaEditor();
  wireRotationEditor();
  wireSubstitutes();
  wireReports();
  wireVisitors();
  byId('pending-retry').addEventListener('click', () => state.outbox.kick(true));
  byId('signout').addEventListener('click', signOut);
  window.addEventListener('online', () => {
    renderConnection();
    state.outbox.kick(true);
    if (state.stream) state.stream.retryNow();
    if (!state.loaded) loadAll();
  });
  window.addEventListener('offline', renderConnection);
  setInterval(() => {
    renderPending(state.outbox.items);
    renderRunClock();
  }, 1000);

  const cache = loadJson(CACHE_KEY, null);
  if (cache && cache.chapter && cache.memberName) {
    applyCache(cache);
    byId('main').hidden = false;
  }
  state.outbox.kick(true);
  await loadAll();
}

// The member's own pick of language ("" to follow the browser), kept on this phone.
function chosenLanguage() {
  return window.localStorage.getItem(LANGUAGE_KEY) || '';
}

// The footer's picker: the browser's language, or one of the catalogs (named in itself). A new
// pick reloads the page in that language (what waits in the outbox stays on the phone).
async function wireLanguagePicker() {
  const select = byId('language');
  const languages = await availableLanguages();
  replaceChildren(select, h('option', { value: '', text: t('app.language.browser') }),
    languages.map((tag) => h('option', { value: tag, text: languageName(tag), attrs: { lang: tag } })));
  select.value = languages.includes(chosenLanguage()) ? chosenLanguage() : '';
  select.addEventListener('change', () => {
    if (select.value) window.localStorage.setItem(LANGUAGE_KEY, select.value);
    else window.localStorage.removeItem(LANGUAGE_KEY);
    window.location.reload();
  });
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {
    // Not installable here (plain http on a LAN address): the page works without it.
  });
}

function showSignin(message) {
  byId('main').hidden = true;
  byId('signin').hidden = false;
  setText(byId('signin-message'), message);
  setConnection('failed', t('app.conn.signed_out'));
}

// Reads everything the page shows. Without the server, the last copy (from this phone) is shown
// and the load is tried again.
async function loadAll(attempt = 0) {
  const who = await call(M.whoAmI, {}, { token: state.token });
  if (!who.ok) {
    if (who.status === 401) {
      window.localStorage.removeItem(TOKEN_KEY);
      window.localStorage.removeItem(CACHE_KEY);
      showSignin(t('app.signin.refused_new_link', { message: who.message }));
      return;
    }
    setConnection('retrying', who.status === 0 ? t('app.conn.offline') : t('app.conn.busy'));
    setTimeout(() => loadAll(attempt + 1), Math.min(1000 * 2 ** attempt, 10000));
    return;
  }
  if (!who.body.member) {
    showSignin(t('app.signin.not_member'));
    return;
  }
  state.chapterName = who.body.chapter;
  state.memberName = who.body.member;
  state.kind = who.body.kind || '';
  const [chapter, members, meeting] = await Promise.all([
    call(M.getChapter, { name: state.chapterName }, { token: state.token }),
    listAll(M.listMembers, { parent: state.chapterName, showLeft: true }, 'members', { token: state.token }),
    fetchMeeting(),
  ]);
  if (!chapter.ok || !members.ok || !meeting.ok) {
    setTimeout(() => loadAll(attempt + 1), Math.min(1000 * 2 ** attempt, 10000));
    return;
  }
  state.chapter = chapter.body;
  state.roster.set(members.items);
  state.meeting = meeting.meeting;
  state.meetings = meeting.meetings;
  state.loaded = true;
  byId('main').hidden = false;
  byId('signin').hidden = true;
  renderAll();
  await refreshInbox();
  saveCache();
  refreshScore();
  refreshReminders();
  startStream(Number(chapter.body.lastSeq || 0));
  // Notifications: their code is loaded after the first render, which never waits for it.
  import('/app/push.js').then((push) => push.wirePush()).catch(() => {});
}

function applyCache(cache) {
  state.chapterName = cache.chapterName;
  state.memberName = cache.memberName;
  state.chapter = cache.chapter;
  state.roster.set(cache.members || []);
  state.kind = cache.kind || '';
  state.meeting = cache.meeting || null;
  state.meetings = cache.meetings || [];
  state.inbox = cache.inbox || [];
  renderAll();
  renderInbox();
}

function startStream(afterSeq) {
  if (state.stream) return;
  state.stream = new EventStream({
    chapter: state.chapterName,
    token: state.token,
    afterSeq,
    onEvent,
    // Only a real difference counts: a time frame is a little late by the time it arrives.
    onTime: (now) => {
      const offset = now - Date.now();
      state.serverOffset = Math.abs(offset) > 2000 ? offset : 0;
    },
    onStatus: (status) => {
      state.streamState = status;
      renderConnection();
      if (status === 'live') {
        // The server is back: send what waits, and catch up on what the stream cannot tell.
        state.outbox.kick(true);
        refreshMeetingSoon();
      }
    },
    onFatal: (error) => {
      if (error.code === 'UNAUTHENTICATED') {
        showSignin(t('app.signin.refused', { message: error.message }));
        return;
      }
      // The log is not where this page left it (a restored server): follow it from now on.
      setTimeout(async () => {
        const chapter = await call(M.getChapter, { name: state.chapterName }, { token: state.token });
        state.stream = null;
        startStream(chapter.ok ? Number(chapter.body.lastSeq || 0) : 0);
        refreshInbox();
        refreshMeetingSoon();
      }, 5000);
    },
  });
  state.stream.start();
}

function setConnection(status, text) {
  const conn = byId('conn');
  conn.dataset.state = status;
  setText(byId('conn-text'), text);
}

function renderConnection() {
  if (!navigator.onLine) return setConnection('retrying', t('app.conn.offline'));
  if (state.streamState === 'live') return setConnection('live', t('app.conn.live'));
  if (state.streamState === 'failed') return setConnection('failed', t('app.conn.disconnected'));
  return setConnection('retrying', t('app.conn.reconnecting'));
}

function signOut() {
  const pending = state.outbox ? state.outbox.items.length : 0;
  if (pending > 0 && !window.confirm(t('app.signout.confirm', { count: pending }))) {
    return;
  }
  for (const key of [TOKEN_KEY, CACHE_KEY, OUTBOX_KEY, REJECTED_KEY]) window.localStorage.removeItem(key);
  if (state.stream) state.stream.stop();
  window.location.reload();
}

boot();
