// The members' phone page: check in, pass referrals, move the ones I received forward, thank
// for closed business, log one-to-ones, register a visitor, see my score and suggestions. For
// organizers also "Run the meeting": schedule and open it, start agenda segments (with the
// one-tap "Next: <speaker>"), correct attendance and close it. Submissions go through the
// outbox (outbox.js): stored first, sent with a request id, retried with the same id.

import { call, isMissingPlugin, listAll, loadJson, saveJson, takeFragmentParams } from '/shared/api.js';
import { EventStream, parseTime } from '/shared/events.js';
import { byId, debounce, h, replaceChildren, setText, temperatureFlames } from '/shared/dom.js';
import {
  ATTENDANCE_LABELS, MEETING_STATE_LABELS, Roster, STATUS_LABELS, STATUS_RANK, TEMPERATURES, formatClock, formatDay,
  formatDuration, formatMoney, initials, isoDay, shortId, temperatureLabel, zonedTime,
} from '/shared/format.js';
import { Outbox } from '/app/outbox.js';

const TOKEN_KEY = 'reciproca.app.token';
const CACHE_KEY = 'reciproca.app.cache';
const OUTBOX_KEY = 'reciproca.app.outbox';
const REJECTED_KEY = 'reciproca.app.rejected';

const M = {
  whoAmI: 'reciproca.v1.ChapterService/WhoAmI',
  getChapter: 'reciproca.v1.ChapterService/GetChapter',
  listMembers: 'reciproca.v1.MemberService/ListMembers',
  listMeetings: 'reciproca.v1.MeetingService/ListMeetings',
  checkIn: 'reciproca.v1.MeetingService/CheckIn',
  scheduleMeeting: 'reciproca.v1.MeetingService/ScheduleMeeting',
  openMeeting: 'reciproca.v1.MeetingService/OpenMeeting',
  startSegment: 'reciproca.v1.MeetingService/StartSegment',
  recordAttendance: 'reciproca.v1.MeetingService/RecordAttendance',
  registerVisitor: 'reciproca.v1.MeetingService/RegisterVisitor',
  closeMeeting: 'reciproca.v1.MeetingService/CloseMeeting',
  giveReferral: 'reciproca.v1.ReferralService/GiveReferral',
  updateStatus: 'reciproca.v1.ReferralService/UpdateReferralStatus',
  listReferrals: 'reciproca.v1.ReferralService/ListReferrals',
  thankYou: 'reciproca.v1.ReferralService/RecordThankYou',
  oneToOne: 'reciproca.v1.ReferralService/RecordOneToOne',
  getScores: 'reciproca.v1.InsightService/GetScores',
  listReminders: 'reciproca.v1.InsightService/ListReminders',
};

const ROLE_LABELS = {
  ROLE_PRESIDENT: 'President',
  ROLE_VICE_PRESIDENT: 'Vice-president',
  ROLE_SECRETARY_TREASURER: 'Secretary-treasurer',
  ROLE_VISITOR_HOST: 'Visitor host',
  ROLE_EDUCATION_COORDINATOR: 'Education coordinator',
  ROLE_ORGANIZER: 'Organizer',
};

// The usual BNI agenda, as quick buttons of "Start a segment" (countdown in seconds, 0 for none).
const AGENDA = [
  { title: 'Open networking', seconds: 0 },
  { title: 'Welcome', seconds: 0 },
  { title: '60-second presentations', seconds: 60 },
  { title: 'Education moment', seconds: 300 },
  { title: 'Feature presentation', seconds: 600 },
  { title: 'Referral round', seconds: 0 },
  { title: 'Visitor introductions', seconds: 0 },
];

// What an organizer may record for a member (PALMS); "" is "no record yet".
const ATTENDANCE_CHOICES = [
  ['ATTENDANCE_STATUS_PRESENT', 'Present'],
  ['ATTENDANCE_STATUS_LATE', 'Late'],
  ['ATTENDANCE_STATUS_MEDICAL', 'Medical'],
  ['ATTENDANCE_STATUS_SUBSTITUTE', 'Substitute'],
  ['ATTENDANCE_STATUS_ABSENT', 'Absent'],
];

// Attendance in which a member (or their substitute) is in the room and may speak.
const HERE = new Set(['ATTENDANCE_STATUS_PRESENT', 'ATTENDANCE_STATUS_LATE', 'ATTENDANCE_STATUS_SUBSTITUTE']);

const WINDOW_LABELS = { '30d': '30 days', '6m': '6 months', '90d': '90 days', '12m': '12 months', all: 'all time' };

const NEXT_STATUSES = [
  { status: 'REFERRAL_STATUS_CONTACTED', label: 'Contacted' },
  { status: 'REFERRAL_STATUS_MEETING_SET', label: 'Meeting set' },
  { status: 'REFERRAL_STATUS_CLOSED_WON', label: 'Won' },
  { status: 'REFERRAL_STATUS_CLOSED_LOST', label: 'Lost' },
  { status: 'REFERRAL_STATUS_NOT_PURSUED', label: 'Not pursued' },
];

const state = {
  token: '',
  chapterName: '',
  memberName: '',
  kind: '', // WhoAmI's principal kind: PRINCIPAL_KIND_ORGANIZER sees "Run the meeting"
  chapter: null,
  roster: new Roster(),
  meeting: null,
  meetings: [], // the newest few, newest first
  serverOffset: 0, // server clock minus this phone's clock, from the stream's time frames
  attendanceErrors: new Map(), // member -> the server's message for a refused correction
  inbox: [],
  scores: new Map(), // window -> MemberScore
  scoreWindow: '',
  outbox: null,
  stream: null,
  streamState: 'connecting',
  loaded: false,
  rejected: loadJson(REJECTED_KEY, []),
  forms: {}, // form key -> request id of the submission the form waits for
};

// ---- start -------------------------------------------------------------------------------

async function boot() {
  registerServiceWorker();
  const params = takeFragmentParams();
  if (params.get('token')) {
    const token = params.get('token');
    const previous = window.localStorage.getItem(TOKEN_KEY);
    if (previous && previous !== token) window.localStorage.removeItem(CACHE_KEY);
    window.localStorage.setItem(TOKEN_KEY, token);
  }
  state.token = window.localStorage.getItem(TOKEN_KEY) || '';
  if (!state.token) {
    showSignin('Open the invitation link your chapter\'s organizer sent you, on this phone.');
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
  setConnection('failed', 'Signed out');
}

// Reads everything the page shows. Without the server, the last copy (from this phone) is shown
// and the load is tried again.
async function loadAll(attempt = 0) {
  const who = await call(M.whoAmI, {}, { token: state.token });
  if (!who.ok) {
    if (who.status === 401) {
      window.localStorage.removeItem(TOKEN_KEY);
      window.localStorage.removeItem(CACHE_KEY);
      showSignin(`This phone's access was refused: ${who.message}. Ask an organizer for a new invitation link.`);
      return;
    }
    setConnection('retrying', who.status === 0 ? 'Offline' : 'Server busy');
    setTimeout(() => loadAll(attempt + 1), Math.min(1000 * 2 ** attempt, 10000));
    return;
  }
  if (!who.body.member) {
    showSignin('This link is not a member\'s invitation (it may be the room display\'s). Open your own invitation link.');
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

function saveCache() {
  saveJson(CACHE_KEY, {
    chapterName: state.chapterName,
    memberName: state.memberName,
    kind: state.kind,
    chapter: state.chapter,
    members: [...state.roster.members.values()],
    meeting: state.meeting,
    meetings: state.meetings,
    inbox: state.inbox,
  });
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
        showSignin(`This phone's access was refused: ${error.message}.`);
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
  if (!navigator.onLine) return setConnection('retrying', 'Offline');
  if (state.streamState === 'live') return setConnection('live', 'Live');
  if (state.streamState === 'failed') return setConnection('failed', 'Disconnected');
  return setConnection('retrying', 'Reconnecting…');
}

// ---- server reads ------------------------------------------------------------------------

async function fetchMeeting() {
  const result = await call(M.listMeetings, { parent: state.chapterName, pageSize: 10 }, { token: state.token });
  if (!result.ok) return result;
  const meetings = result.body.meetings || [];
  const now = Date.now();
  const upcoming = meetings
    .filter((m) => m.state === 'MEETING_STATE_SCHEDULED' && parseTime(m.startTime) > now - 3600 * 1000)
    .sort((a, b) => parseTime(a.startTime) - parseTime(b.startTime));
  const meeting = meetings.find((m) => m.state === 'MEETING_STATE_IN_PROGRESS') ||
    meetings.find((m) => m.state === 'MEETING_STATE_OPEN') || upcoming[0] || meetings[0] || null;
  return { ok: true, meeting, meetings };
}

const refreshMeetingSoon = debounce(async () => {
  const result = await fetchMeeting();
  if (!result.ok) return;
  state.meeting = result.meeting;
  state.meetings = result.meetings;
  renderMeeting();
  saveCache();
}, 200);

const refreshMembersSoon = debounce(async () => {
  const members = await listAll(M.listMembers, { parent: state.chapterName, showLeft: true }, 'members', { token: state.token });
  if (!members.ok) return;
  state.roster.set(members.items);
  renderAll();
  saveCache();
}, 300);

async function refreshInbox() {
  const result = await call(M.listReferrals,
    { parent: state.chapterName, receiver: state.memberName, pageSize: 50 }, { token: state.token });
  if (!result.ok) return;
  state.inbox = result.body.referrals || [];
  renderInbox();
  saveCache();
}
const refreshInboxSoon = debounce(refreshInbox, 200);

// When no plugin answers a kind of question, it is asked again only after a while (or when a
// plugin shows signs of life in the log), not after every event.
const MISSING_PLUGIN_RETRY_MS = 5 * 60 * 1000;
const missingUntil = { scores: 0, reminders: 0 };

async function refreshScore() {
  if (Date.now() < missingUntil.scores) return;
  const first = await call(M.getScores, { chapter: state.chapterName, member: state.memberName }, { token: state.token });
  if (!first.ok) {
    if (isMissingPlugin(first)) {
      missingUntil.scores = Date.now() + MISSING_PLUGIN_RETRY_MS;
      state.scores.clear();
      renderScore();
    }
    return;
  }
  const scores = new Map();
  const defaultWindow = first.body.window || '';
  const mine = (first.body.scores || []).find((s) => s.member === state.memberName);
  if (mine) scores.set(defaultWindow, mine);
  // Members also want the recent view: offered when the plugin has a 30-day window.
  if (mine && defaultWindow !== '30d') {
    const recent = await call(M.getScores, { chapter: state.chapterName, member: state.memberName, window: '30d' }, { token: state.token });
    const score = recent.ok && (recent.body.scores || []).find((s) => s.member === state.memberName);
    if (score) scores.set(recent.body.window || '30d', score);
  }
  state.scores = scores;
  if (!scores.has(state.scoreWindow)) state.scoreWindow = defaultWindow;
  renderScore();
}
const refreshScoreSoon = debounce(refreshScore, 1500);

async function refreshReminders() {
  if (Date.now() < missingUntil.reminders) return;
  const result = await call(M.listReminders, { chapter: state.chapterName, member: state.memberName }, { token: state.token });
  const card = byId('reminders-card');
  if (!result.ok) {
    if (isMissingPlugin(result)) {
      missingUntil.reminders = Date.now() + MISSING_PLUGIN_RETRY_MS;
      card.hidden = true;
    }
    return;
  }
  const reminders = (result.body.reminders || []).filter((r) => !r.member || r.member === state.memberName);
  card.hidden = false;
  byId('reminders-empty').hidden = reminders.length > 0;
  replaceChildren(byId('reminders'), reminders.map((r) => h('li', { class: ['reminder', `kind-${r.kind}`], dataset: { id: r.id } },
    h('span', { class: 'reminder-text', text: r.text }))));
}
const refreshRemindersSoon = debounce(refreshReminders, 1000);

// ---- live events -------------------------------------------------------------------------

function onEvent(event) {
  const me = state.memberName;
  if (event.referralGiven) {
    const r = event.referralGiven.referral || {};
    if (r.receiver === me) {
      toast(`New referral from ${state.roster.displayName(r.giver)}`, 'good');
      refreshInboxSoon();
    }
  }
  if (event.referralStatusChanged && state.inbox.some((r) => r.name === event.referralStatusChanged.referral)) {
    refreshInboxSoon();
  }
  if (event.thankYouRecorded) {
    const t = event.thankYouRecorded.thankYou || {};
    if (t.toMember === me) {
      const amount = formatMoney(t.amount);
      toast(`${state.roster.displayName(t.fromMember)} thanked you for closed business${amount ? `: ${amount}` : ''}`, 'good');
    }
    if (t.referral && state.inbox.some((r) => r.name === t.referral)) refreshInboxSoon();
  }
  if (event.meetingScheduled || event.meetingOpened || event.meetingClosed || event.segmentStarted ||
      event.attendanceRecorded || event.visitorRegistered) {
    refreshMeetingSoon();
  }
  if (event.memberAdded || event.memberUpdated || event.memberLeft) refreshMembersSoon();
  if (event.chapterUpdated && event.chapterUpdated.chapter) {
    state.chapter = { ...event.chapterUpdated.chapter };
    renderAll();
    saveCache();
  }
  if (event.pluginOutput) {
    missingUntil.scores = 0;
    missingUntil.reminders = 0;
    const output = event.pluginOutput.output || {};
    if (output.reminder && output.reminder.member === me) refreshRemindersSoon();
    if (output.scoreChange && output.scoreChange.member === me) refreshScoreSoon();
  }
  if (event.referralGiven || event.thankYouRecorded || event.oneToOneRecorded || event.attendanceRecorded ||
      event.visitorRegistered || event.educationRecorded || event.testimonialRecorded || event.meetingClosed) {
    refreshScoreSoon();
  }
}

// ---- the outbox's answers ----------------------------------------------------------------

const SENT_MESSAGES = {
  [M.giveReferral]: (item) => `${item.label}: recorded.`,
  [M.thankYou]: (item) => `${item.label}: recorded.`,
  [M.oneToOne]: (item) => `${item.label}: recorded.`,
  [M.checkIn]: () => 'You are checked in.',
  [M.updateStatus]: (item) => `${item.label}: done.`,
  [M.registerVisitor]: (item) => `${item.label}: registered.`,
  [M.startSegment]: (item) => `${item.label}: started.`,
};

const MEETING_METHODS = new Set([M.scheduleMeeting, M.openMeeting, M.startSegment, M.closeMeeting]);

// A Meeting the server answered with: the phone shows it at once (the event follows).
function takeMeeting(body) {
  if (!body || !body.name) return;
  const i = state.meetings.findIndex((m) => m.name === body.name);
  if (i >= 0) state.meetings[i] = body;
  else state.meetings.unshift(body);
  if (!state.meeting || state.meeting.name === body.name || body.state !== 'MEETING_STATE_CLOSED') state.meeting = body;
  renderMeeting();
  saveCache();
}

function onSent(item, body) {
  const message = (SENT_MESSAGES[item.method] || ((i) => `${i.label}: done.`))(item);
  if (MEETING_METHODS.has(item.method)) takeMeeting(body);
  if (item.form === 'run') {
    if (state.forms.run === item.id) delete state.forms.run;
    showRunMessage({ ok: message });
    renderRun();
  } else if (item.form.startsWith('att:')) {
    const member = item.form.slice(4);
    state.attendanceErrors.delete(member);
    if (body && body.member && state.meeting && state.meeting.name === item.request.meeting) {
      const list = state.meeting.attendance || (state.meeting.attendance = []);
      const i = list.findIndex((a) => a.member === body.member);
      if (i >= 0) list[i] = body;
      else list.push(body);
    }
    renderRun();
  } else if (FORMS[item.form] && state.forms[item.form] === item.id) {
    delete state.forms[item.form];
    finishForm(item.form, { ok: message });
  } else {
    toast(message, 'good');
  }
  if (item.method === M.updateStatus && body && body.name) {
    state.inbox = state.inbox.map((r) => (r.name === body.name ? body : r));
    renderInbox();
  }
  if (item.method === M.checkIn && body && body.member) {
    if (state.meeting && state.meeting.name === item.request.meeting) {
      const list = state.meeting.attendance || (state.meeting.attendance = []);
      const i = list.findIndex((a) => a.member === body.member);
      if (i >= 0) list[i] = body;
      else list.push(body);
    }
    renderMeeting();
  }
  if (item.method === M.thankYou) refreshInboxSoon();
  if (item.method === M.updateStatus) renderInbox();
  if (item.method === M.registerVisitor && body && body.name && state.meeting && state.meeting.name === item.request.meeting) {
    const list = state.meeting.visitors || (state.meeting.visitors = []);
    if (!list.some((v) => v.name === body.name)) list.push(body);
    renderVisitors();
  }
}

function onRejected(item, result) {
  if (item.form === 'run') {
    if (state.forms.run === item.id) delete state.forms.run;
    showRunMessage({ error: result });
    renderRun();
  } else if (item.form.startsWith('att:')) {
    state.attendanceErrors.set(item.form.slice(4), {
      message: result.message || result.code, status: item.request.status, substituteName: item.request.substituteName || '',
    });
    renderRun();
  } else if (FORMS[item.form] && state.forms[item.form] === item.id) {
    delete state.forms[item.form];
    finishForm(item.form, { error: result });
  } else if (item.method === M.checkIn) {
    const error = byId('checkin-error');
    setText(error, result.message || result.code);
    error.dataset.code = result.code;
    error.hidden = false;
  } else {
    state.rejected.push({
      id: item.id, label: item.label, method: item.method, request: item.request, form: item.form,
      code: result.code, message: result.message, at: Date.now(),
    });
    saveJson(REJECTED_KEY, state.rejected);
    renderRejected();
    toast(`${item.label}: not recorded. ${result.message}`, 'bad');
  }
  if (item.method === M.updateStatus || item.method === M.checkIn) {
    renderInbox();
    renderMeeting();
  }
}

// The first attempt got no answer: the form is free again, the submission waits in Pending.
function onDeferred(item) {
  if (item.form === 'run' && state.forms.run === item.id) {
    delete state.forms.run;
    showRunMessage({ ok: 'No connection right now. Saved on this phone: it will be sent automatically (see Pending).', queued: true });
  }
  if (FORMS[item.form] && state.forms[item.form] === item.id) {
    delete state.forms[item.form];
    finishForm(item.form, { ok: 'No connection right now. Saved on this phone: it will be sent automatically (see Pending).', queued: true });
  }
  renderInbox();
  renderMeeting();
}

// ---- forms -------------------------------------------------------------------------------

const FORMS = {
  refer: { form: 'refer-form', error: 'refer-error', ok: 'refer-ok', submit: 'refer-submit', label: 'Pass referral' },
  thanks: { form: 'thanks-form', error: 'thanks-error', ok: 'thanks-ok', submit: 'thanks-submit', label: 'Say thank you' },
  oneToOne: { form: 'one-to-one-form', error: 'one-to-one-error', ok: 'one-to-one-ok', submit: 'one-to-one-submit', label: 'Log one-to-one' },
  visitor: { form: 'visitor-form', error: 'visitor-error', ok: 'visitor-ok', submit: 'visitor-submit', label: 'Register visitor' },
  segment: { form: 'segment-form', error: 'segment-error', ok: 'segment-ok', submit: 'segment-submit', label: 'Start segment' },
};

function wireForms() {
  byId('refer-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitReferral();
  });
  byId('thanks-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitThanks();
  });
  byId('one-to-one-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitOneToOne();
  });
  for (const input of byId('refer-kind').querySelectorAll('input')) input.addEventListener('change', renderReferKind);
  for (const input of byId('refer-temps').querySelectorAll('input')) input.addEventListener('change', renderTemperatureLabel);
  byId('thanks-referral').addEventListener('change', () => {
    const referral = state.inbox.find((r) => r.name === byId('thanks-referral').value);
    if (referral) byId('thanks-to').value = referral.giver;
  });
  byId('checkin-button').addEventListener('click', submitCheckIn);
  byId('visitor-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitVisitor();
  });
  byId('segment-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitSegment();
  });
  replaceChildren(byId('run-quick'), AGENDA.map((a) => h('button', {
    type: 'button',
    class: 'quick-button',
    dataset: { title: a.title, seconds: a.seconds },
    attrs: { 'aria-pressed': 'false' },
    text: a.seconds ? `${a.title} · ${formatDuration(a.seconds)}` : a.title,
    on: { click: () => pickAgenda(a) },
  })));
  byId('segment-title-input').addEventListener('input', renderQuickPressed);
  byId('run-schedule-button').addEventListener('click', submitSchedule);
  byId('run-open-button').addEventListener('click', () => runAction(M.openMeeting, { name: state.meeting.name }, 'Open check-in'));
  byId('run-next').addEventListener('click', submitNextSpeaker);
  byId('run-close-button').addEventListener('click', () => {
    const m = state.meeting;
    if (!m) return;
    const here = (m.attendance || []).filter((a) => HERE.has(a.status)).length;
    if (!window.confirm(`Close the meeting of ${formatDay(parseTime(m.startTime), tz(), false)}? ${here} checked in; members without a record become absent. This cannot be undone.`)) return;
    runAction(M.closeMeeting, { name: m.name }, 'Close meeting');
  });
  byId('pending-retry').addEventListener('click', () => state.outbox.kick(true));
  byId('signout').addEventListener('click', signOut);
  for (const key of Object.keys(FORMS)) {
    byId(FORMS[key].form).addEventListener('input', (e) => {
      if (e.target.getAttribute('aria-invalid')) e.target.removeAttribute('aria-invalid');
      byId(FORMS[key].ok).hidden = true;
    });
  }
  renderReferKind();
  renderTemperatureLabel();
  byId('one-to-one-date').value = isoDay(Date.now());
}

function radioValue(form, name) {
  const checked = byId(form).querySelector(`input[name="${name}"]:checked`);
  return checked ? checked.value : '';
}

function startForm(key, spec) {
  const f = FORMS[key];
  clearFormErrors(key);
  byId(f.ok).hidden = true;
  const button = byId(f.submit);
  button.disabled = true;
  setText(button, 'Sending…');
  const item = state.outbox.add({ ...spec, form: key });
  if (item.deferred) {
    finishForm(key, { ok: 'Saved on this phone: it will be sent after what is already pending.', queued: true });
  } else {
    state.forms[key] = item.id;
  }
}

function finishForm(key, { ok, error, queued }) {
  const f = FORMS[key];
  const button = byId(f.submit);
  button.disabled = false;
  setText(button, f.label);
  if (error) {
    showFormError(key, error);
    return;
  }
  resetForm(key);
  const okElement = byId(f.ok);
  okElement.classList.toggle('queued', !!queued);
  setText(okElement, ok);
  okElement.hidden = false;
}

function clearFormErrors(key) {
  const f = FORMS[key];
  byId(f.error).hidden = true;
  setText(byId(f.error), '');
  for (const field of byId(f.form).querySelectorAll('[aria-invalid]')) {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }
}

// Shows the server's message under the form, and marks the field it names ("referral.receiver:
// a member cannot refer to themself" marks the receiver).
function showFormError(key, result) {
  const f = FORMS[key];
  const errorElement = byId(f.error);
  setText(errorElement, result.message || result.code);
  errorElement.dataset.code = result.code;
  errorElement.hidden = false;
  const match = /^([a-z_.]+(?:\[\d+\])?):/.exec(result.message || '');
  if (match) {
    let best = null;
    for (const field of byId(f.form).querySelectorAll('[data-field]')) {
      const path = field.dataset.field;
      if (match[1] === path || match[1].startsWith(`${path}.`)) {
        if (!best || path.length > best.dataset.field.length) best = field;
      }
    }
    if (best) {
      best.setAttribute('aria-invalid', 'true');
      best.setAttribute('aria-describedby', f.error);
    }
  }
  errorElement.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

function resetForm(key) {
  const form = byId(FORMS[key].form);
  form.reset();
  if (key === 'visitor') byId('visitor-invited-by').value = state.memberName;
  if (key === 'segment') renderQuickPressed();
  if (key === 'refer') {
    renderReferKind();
    renderTemperatureLabel();
  }
  if (key === 'oneToOne') byId('one-to-one-date').value = isoDay(Date.now(), tz());
}

function meetingOpen() {
  const m = state.meeting;
  return !!m && (m.state === 'MEETING_STATE_OPEN' || m.state === 'MEETING_STATE_IN_PROGRESS');
}

function submitReferral() {
  const receiver = byId('refer-to').value;
  const kind = radioValue('refer-form', 'kind');
  const referral = {
    receiver,
    kind,
    temperature: Number(radioValue('refer-form', 'temperature') || 0),
    note: byId('refer-note').value,
  };
  if (kind !== 'REFERRAL_KIND_INSIDE') {
    referral.contactName = byId('refer-contact-name').value;
    referral.contactPhone = byId('refer-contact-phone').value;
    referral.contactEmail = byId('refer-contact-email').value;
  }
  if (meetingOpen() && byId('refer-at-meeting').checked) referral.meeting = state.meeting.name;
  const to = receiver ? state.roster.displayName(receiver) : 'nobody';
  startForm('refer', {
    method: M.giveReferral,
    request: { parent: state.chapterName, referral },
    label: `Referral to ${to}`,
  });
}

// "1.250,50" and "1,250.50" and "1250,5" -> "1250.50"-style text the server checks.
function normalizeAmount(text) {
  let t = String(text || '').trim().replace(/[\s'’]/g, '').replace(/^[^\d.,-]+|[^\d.,]+$/g, '');
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(t)) t = t.replace(/,/g, '');
  else if (/^\d+,\d{1,2}$/.test(t)) t = t.replace(',', '.');
  return t;
}

function submitThanks() {
  const toMember = byId('thanks-to').value;
  const thankYou = {
    toMember,
    amount: { currency: (state.chapter && state.chapter.currency) || 'EUR', amount: normalizeAmount(byId('thanks-amount').value) },
    businessType: radioValue('thanks-form', 'businessType'),
    note: byId('thanks-note').value,
  };
  const referral = byId('thanks-referral').value;
  if (referral) thankYou.referral = referral;
  startForm('thanks', {
    method: M.thankYou,
    request: { parent: state.chapterName, thankYou },
    label: `Thank-you to ${toMember ? state.roster.displayName(toMember) : 'nobody'}`,
  });
}

function submitOneToOne() {
  const withMember = byId('one-to-one-with').value;
  startForm('oneToOne', {
    method: M.oneToOne,
    request: {
      parent: state.chapterName,
      oneToOne: { withMember, date: byId('one-to-one-date').value, note: byId('one-to-one-note').value },
    },
    label: `One-to-one with ${withMember ? state.roster.displayName(withMember) : 'nobody'}`,
  });
}

function submitVisitor() {
  if (!state.meeting) return;
  const visitor = {
    displayName: byId('visitor-name').value,
    business: byId('visitor-business').value,
    email: byId('visitor-email').value,
    phone: byId('visitor-phone').value,
  };
  const invitedBy = isOrganizer() ? byId('visitor-invited-by').value : '';
  if (invitedBy && invitedBy !== state.memberName) visitor.invitedBy = invitedBy;
  startForm('visitor', {
    method: M.registerVisitor,
    request: { meeting: state.meeting.name, visitor },
    label: `Visitor ${visitor.displayName.trim() || '(no name)'}`,
  });
}

// ---- running the meeting (organizers) ----------------------------------------------------

function isOrganizer() {
  return state.kind === 'PRINCIPAL_KIND_ORGANIZER';
}

function currentSegment() {
  const segments = (state.meeting && state.meeting.segments) || [];
  return segments.length ? segments[segments.length - 1] : null;
}

// A one-button action of the run card: one at a time, its answer shown at the top of the card.
function runAction(method, request, label) {
  if (state.forms.run) return;
  showRunMessage({});
  const item = state.outbox.add({ method, request, label, form: 'run' });
  if (item.deferred) showRunMessage({ ok: 'Saved on this phone: it will be sent after what is already pending.', queued: true });
  else state.forms.run = item.id;
  renderRun();
}

function showRunMessage({ ok, error, queued }) {
  const errorElement = byId('run-error');
  const okElement = byId('run-ok');
  errorElement.hidden = !error;
  setText(errorElement, error ? error.message || error.code : '');
  if (error) {
    errorElement.dataset.code = error.code;
    errorElement.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
  okElement.hidden = !ok;
  okElement.classList.toggle('queued', !!queued);
  setText(okElement, ok || '');
}

function todayAt(hhmm) {
  return zonedTime(isoDay(Date.now() + state.serverOffset, tz()), hhmm, tz());
}

function submitSchedule() {
  const millis = todayAt(byId('run-schedule-time').value);
  if (!Number.isFinite(millis)) {
    showRunMessage({ error: { code: 'INVALID_ARGUMENT', message: 'Choose the time the meeting starts.' } });
    return;
  }
  runAction(M.scheduleMeeting, { parent: state.chapterName, startTime: new Date(millis).toISOString() },
    'Schedule today\'s meeting');
}

function pickAgenda(agenda) {
  byId('segment-title-input').value = agenda.title;
  byId('segment-seconds').value = String(agenda.seconds);
  byId('segment-ok').hidden = true;
  renderQuickPressed();
}

function renderQuickPressed() {
  const title = byId('segment-title-input').value.trim().toLowerCase();
  for (const button of byId('run-quick').querySelectorAll('button')) {
    button.setAttribute('aria-pressed', button.dataset.title.toLowerCase() === title ? 'true' : 'false');
  }
}

function submitSegment() {
  if (!state.meeting) return;
  const title = byId('segment-title-input').value;
  const speaker = byId('segment-speaker').value;
  const request = {
    name: state.meeting.name,
    title,
    countdownSeconds: Number(byId('segment-seconds').value || 0),
  };
  if (speaker) request.speaker = speaker;
  startForm('segment', {
    method: M.startSegment,
    request,
    label: `${title.trim() || 'Segment'}${speaker ? ` with ${state.roster.displayName(speaker)}` : ''}`,
  });
}

// The same segment again, with the speaker the server named as next.
function submitNextSpeaker() {
  const current = currentSegment();
  if (!state.meeting || !current || !current.nextSpeaker) return;
  runAction(M.startSegment, {
    name: state.meeting.name,
    title: current.title,
    countdownSeconds: current.countdownSeconds || 0,
    speaker: current.nextSpeaker,
  }, `${current.title} with ${state.roster.displayName(current.nextSpeaker)}`);
}

function submitAttendance(member, status, substituteName) {
  if (!state.meeting) return;
  state.attendanceErrors.delete(member);
  const request = { meeting: state.meeting.name, member, status };
  if (status === 'ATTENDANCE_STATUS_SUBSTITUTE') request.substituteName = substituteName;
  state.outbox.add({
    method: M.recordAttendance,
    request,
    label: `${state.roster.displayName(member)}: ${ATTENDANCE_LABELS[status] || status}`,
    form: `att:${member}`,
  });
  renderRun();
}

function submitCheckIn() {
  if (!state.meeting) return;
  byId('checkin-error').hidden = true;
  state.outbox.add({
    method: M.checkIn,
    request: { meeting: state.meeting.name },
    label: 'Check-in',
    form: 'checkin',
  });
  renderMeeting();
}

function submitStatus(referral, status, label) {
  state.outbox.add({
    method: M.updateStatus,
    request: { name: referral.name, status },
    label: `Referral from ${state.roster.displayName(referral.giver)} → ${label}`,
    form: `status:${referral.name}`,
  });
  renderInbox();
}

// Fills a form again from a refused submission, so it can be fixed and sent.
function editRejected(entry) {
  state.rejected = state.rejected.filter((r) => r.id !== entry.id);
  saveJson(REJECTED_KEY, state.rejected);
  renderRejected();
  const q = entry.request || {};
  if (entry.method === M.giveReferral && q.referral) {
    const r = q.referral;
    byId('refer-to').value = r.receiver || '';
    const kind = byId('refer-form').querySelector(`input[name="kind"][value="${r.kind === 'REFERRAL_KIND_INSIDE' ? 'REFERRAL_KIND_INSIDE' : 'REFERRAL_KIND_OUTSIDE'}"]`);
    kind.checked = true;
    const temp = byId('refer-form').querySelector(`input[name="temperature"][value="${Number(r.temperature) || 3}"]`);
    if (temp) temp.checked = true;
    byId('refer-contact-name').value = r.contactName || '';
    byId('refer-contact-phone').value = r.contactPhone || '';
    byId('refer-contact-email').value = r.contactEmail || '';
    byId('refer-note').value = r.note || '';
    renderReferKind();
    renderTemperatureLabel();
    showFormError('refer', entry);
    byId('refer-card').scrollIntoView({ behavior: 'smooth' });
  } else if (entry.method === M.thankYou && q.thankYou) {
    const t = q.thankYou;
    byId('thanks-referral').value = t.referral || '';
    byId('thanks-to').value = t.toMember || '';
    byId('thanks-amount').value = (t.amount && t.amount.amount) || '';
    byId('thanks-note').value = t.note || '';
    showFormError('thanks', entry);
    byId('thanks-card').scrollIntoView({ behavior: 'smooth' });
  } else if (entry.method === M.oneToOne && q.oneToOne) {
    const o = q.oneToOne;
    byId('one-to-one-with').value = o.withMember || '';
    byId('one-to-one-date').value = o.date || '';
    byId('one-to-one-note').value = o.note || '';
    showFormError('oneToOne', entry);
    byId('one-to-one-card').scrollIntoView({ behavior: 'smooth' });
  }
}

function signOut() {
  const pending = state.outbox ? state.outbox.items.length : 0;
  if (pending > 0 && !window.confirm(`${pending} submission(s) have not reached the server yet and will be lost. Forget this phone anyway?`)) {
    return;
  }
  for (const key of [TOKEN_KEY, CACHE_KEY, OUTBOX_KEY, REJECTED_KEY]) window.localStorage.removeItem(key);
  if (state.stream) state.stream.stop();
  window.location.reload();
}

// ---- rendering ---------------------------------------------------------------------------

function tz() {
  return state.chapter ? state.chapter.timeZone : undefined;
}

function renderAll() {
  const me = state.roster.get(state.memberName) || {};
  const chapterTitle = state.chapter ? state.chapter.displayName : '';
  setText(byId('bar-chapter'), chapterTitle || 'Reciproca');
  document.title = chapterTitle ? `${chapterTitle} · Reciproca` : 'Reciproca';
  setText(byId('me-avatar'), initials(me.displayName));
  setText(byId('me-name'), me.displayName || state.roster.displayName(state.memberName));
  setText(byId('me-business'), [me.business, me.category].filter(Boolean).join(' · '));
  const role = ROLE_LABELS[me.role];
  setText(byId('me-role'), role || '');
  byId('me-role').hidden = !role;
  setText(byId('foot-who'), `Signed in as ${me.displayName || state.memberName} (${state.memberName}).`);
  setText(byId('thanks-currency'), (state.chapter && state.chapter.currency) || '');
  renderMemberSelects();
  renderMeeting();
}

// Members in roster order (the order they joined; the order of "next speaker").
function rosterOrder() {
  return state.roster.active().sort((a, b) => Number(shortId(a.name)) - Number(shortId(b.name)) ||
    a.name.localeCompare(b.name));
}

function renderMemberSelects() {
  const me = state.memberName;
  const others = state.roster.active().filter((m) => m.name !== me);
  const mine = state.roster.get(me);
  const options = (list) => list.map((m) => h('option', { value: m.name, text: `${m.displayName} · ${m.category || m.business || ''}` }));
  const fill = (id, withSelf) => {
    const select = byId(id);
    const value = select.value;
    const first = select.options[0];
    const children = [first, ...options(others)];
    // Giving a referral to oneself is the server's to refuse, with its own words: keep it possible.
    if (withSelf && mine) {
      children.push(h('optgroup', { attrs: { label: 'Yourself' } },
        h('option', { value: mine.name, text: `${mine.displayName} (you)` })));
    }
    replaceChildren(select, children);
    select.value = value;
  };
  fill('refer-to', true);
  fill('thanks-to', false);
  fill('one-to-one-with', false);

  const invitedBy = byId('visitor-invited-by');
  const invitedValue = invitedBy.value || me;
  replaceChildren(invitedBy, state.roster.active().map((m) => h('option', {
    value: m.name, text: m.name === me ? `${m.displayName} (you)` : m.displayName,
  })));
  invitedBy.value = invitedValue;
}

function renderReferKind() {
  const inside = radioValue('refer-form', 'kind') === 'REFERRAL_KIND_INSIDE';
  byId('refer-contact').hidden = inside;
}

function renderTemperatureLabel() {
  const t = Number(radioValue('refer-form', 'temperature') || 0);
  setText(byId('refer-temp-label'), t ? `· ${TEMPERATURES[t]}` : '');
}

function renderMeeting() {
  const m = state.meeting;
  const zone = tz();
  const title = byId('meeting-title');
  const when = byId('meeting-when');
  const status = byId('meeting-state');
  const mine = byId('my-attendance');
  const button = byId('checkin-button');
  byId('refer-at-meeting-wrap').hidden = !meetingOpen();
  renderRun();
  renderVisitors();
  if (!m) {
    setText(title, 'Meeting');
    setText(when, 'No meeting is scheduled yet.');
    setText(status, '');
    mine.hidden = true;
    button.hidden = true;
    return;
  }
  const start = parseTime(m.startTime);
  setText(title, m.state === 'MEETING_STATE_SCHEDULED' ? 'Next meeting' : m.state === 'MEETING_STATE_CLOSED' ? 'Last meeting' : 'Today\'s meeting');
  setText(when, formatDay(start, zone));
  const segments = m.segments || [];
  const current = segments.length ? segments[segments.length - 1] : null;
  const texts = {
    MEETING_STATE_SCHEDULED: 'Scheduled. Check-in opens at the meeting.',
    MEETING_STATE_OPEN: 'Check-in is open.',
    MEETING_STATE_IN_PROGRESS: current ? `In progress: ${current.title}` : 'In progress.',
    MEETING_STATE_CLOSED: 'Closed.',
  };
  setText(status, texts[m.state] || '');
  status.dataset.state = m.state || '';
  const record = (m.attendance || []).find((a) => a.member === state.memberName);
  const pending = state.outbox && state.outbox.items.find((i) => i.method === M.checkIn && i.request.meeting === m.name);
  if (record) {
    const label = ATTENDANCE_LABELS[record.status] || '';
    const at = formatClock(parseTime(record.recordTime), zone);
    setText(mine, record.status === 'ATTENDANCE_STATUS_ABSENT' ? 'You were marked absent.' : `You are checked in: ${label}${at ? ` at ${at}` : ''}.`);
    mine.dataset.status = record.status;
    mine.hidden = false;
  } else if (pending && pending.deferred) {
    setText(mine, 'Check-in saved on this phone: it will be sent as soon as the server answers.');
    mine.dataset.status = 'pending';
    mine.hidden = false;
  } else {
    mine.hidden = true;
  }
  const canCheckIn = meetingOpen() && (!record || record.status === 'ATTENDANCE_STATUS_ABSENT');
  button.hidden = !canCheckIn;
  button.disabled = !!pending;
  setText(button, pending ? 'Checking in…' : start && Date.now() > start ? 'Check in (late)' : 'Check in');
}

function renderVisitors() {
  const m = state.meeting;
  const card = byId('visitor-card');
  const open = !!m && m.state !== 'MEETING_STATE_CLOSED';
  card.hidden = !open;
  byId('visitor-link').hidden = !open;
  byId('visitor-invited-by-wrap').hidden = !isOrganizer();
  if (!open) return;
  const visitors = m.visitors || [];
  setText(byId('visitor-count'), visitors.length ? `${visitors.length} today` : '');
  replaceChildren(byId('visitor-list'), visitors.map((v) => h('li', { class: 'visitor', dataset: { name: v.name } },
    h('span', { class: 'visitor-name', text: v.displayName }),
    h('span', { class: 'visitor-meta', text: [v.business, v.invitedBy ? `guest of ${state.roster.displayName(v.invitedBy)}` : ''].filter(Boolean).join(' · ') }))));
}

// The organizer's card: what the meeting needs next.
function renderRun() {
  const card = byId('run-card');
  const organizer = isOrganizer();
  card.hidden = !organizer;
  byId('jump-run').hidden = !organizer;
  if (!organizer) return;
  const m = state.meeting;
  const zone = tz();
  const busy = !!state.forms.run;
  const live = meetingOpen();
  const today = isoDay(Date.now() + state.serverOffset, zone);
  const hasToday = state.meetings.some((x) => isoDay(parseTime(x.startTime), zone) === today);

  if (m) {
    const labels = { ...MEETING_STATE_LABELS, MEETING_STATE_SCHEDULED: 'scheduled, check-in not open yet' };
    setText(byId('run-meeting'), `${formatDay(parseTime(m.startTime), zone)} · ${labels[m.state] || ''}`);
  } else {
    setText(byId('run-meeting'), 'No meeting yet.');
  }
  byId('run-meeting').dataset.state = (m && m.state) || '';

  const schedule = byId('run-schedule');
  schedule.hidden = hasToday || live;
  const time = byId('run-schedule-time');
  if (!schedule.hidden && !time.value) time.value = (state.chapter && state.chapter.meetingTime) || '07:00';
  byId('run-schedule-button').disabled = busy;

  const openButton = byId('run-open-button');
  openButton.hidden = !(m && m.state === 'MEETING_STATE_SCHEDULED');
  openButton.disabled = busy;

  byId('run-agenda').hidden = !live;
  const current = live ? currentSegment() : null;
  byId('run-now').hidden = !current;
  if (current) {
    setText(byId('run-now-title'), current.title);
    setText(byId('run-now-speaker'), current.speaker ? state.roster.displayName(current.speaker) : '');
    byId('run-now-speaker').hidden = !current.speaker;
  }
  renderRunClock();
  const next = byId('run-next');
  next.hidden = !(current && current.speaker && current.nextSpeaker);
  next.disabled = busy;
  setText(next, current && current.nextSpeaker ? `Next: ${state.roster.displayName(current.nextSpeaker)}` : '');
  next.dataset.member = (current && current.nextSpeaker) || '';
  byId('run-next-none').hidden = !(current && current.speaker && !current.nextSpeaker);

  byId('run-close-button').hidden = !live;
  byId('run-close-button').disabled = busy;
  if (live) renderSpeakerSelect();
  renderRunAttendance();
}

// Speakers in roster order, marked when they are not in the room.
function renderSpeakerSelect() {
  const speaker = byId('segment-speaker');
  const value = speaker.value;
  const attendance = new Map(((state.meeting && state.meeting.attendance) || []).map((a) => [a.member, a.status]));
  replaceChildren(speaker, [speaker.options[0], ...rosterOrder().map((m) => h('option', {
    value: m.name,
    text: HERE.has(attendance.get(m.name)) ? m.displayName : `${m.displayName} · not checked in`,
  }))]);
  speaker.value = value;
}

function renderRunClock() {
  const clock = byId('run-now-clock');
  const current = meetingOpen() && isOrganizer() ? currentSegment() : null;
  if (!current || !current.countdownSeconds) {
    setText(clock, '');
    clock.classList.remove('overrun');
    return;
  }
  const elapsed = Math.max(0, (Date.now() + state.serverOffset - parseTime(current.startTime)) / 1000);
  const left = current.countdownSeconds - elapsed;
  const overrun = left < 0;
  setText(clock, overrun ? `+${formatDuration(-left)} over` : `${formatDuration(Math.ceil(left))} left`);
  clock.classList.toggle('overrun', overrun);
}

// One row per active member (and anyone with a record): their status, changed with a select;
// a substitute needs a name, sent with "Save".
function renderRunAttendance() {
  const m = state.meeting;
  const details = byId('run-attendance-details');
  details.hidden = !(m && m.state !== 'MEETING_STATE_SCHEDULED');
  if (details.hidden) return;
  const records = new Map((m.attendance || []).map((a) => [a.member, a]));
  const members = rosterOrder();
  for (const name of records.keys()) {
    if (!members.some((x) => x.name === name)) members.push(state.roster.get(name) || { name, displayName: state.roster.displayName(name) });
  }
  const here = [...records.values()].filter((a) => HERE.has(a.status)).length;
  setText(byId('run-attendance-count'), `${here} of ${state.roster.active().length} here`);
  const list = byId('run-attendance');
  const rows = new Map([...list.children].map((li) => [li.dataset.member, li]));
  const closed = m.state === 'MEETING_STATE_CLOSED';
  const ordered = members.map((member) => {
    const record = records.get(member.name);
    const pending = state.outbox && state.outbox.items.find((i) => i.form === `att:${member.name}`);
    const status = pending ? pending.request.status : (record ? record.status : '');
    let row = rows.get(member.name);
    if (!row) row = buildAttendanceRow(member);
    const select = row.querySelector('select');
    const input = row.querySelector('input');
    const save = row.querySelector('button');
    // Keep what the organizer is in the middle of choosing (a substitute's name being typed).
    const editing = row.dataset.editing === 'true';
    const failed = state.attendanceErrors.get(member.name);
    if (!editing && failed && !pending) {
      // Refused: show what was tried, to be fixed and saved again.
      select.value = failed.status;
      input.value = failed.substituteName;
    } else if (!editing) {
      select.value = status;
      input.value = (record && record.substituteName) || '';
    }
    const showSub = select.value === 'ATTENDANCE_STATUS_SUBSTITUTE';
    input.hidden = !showSub;
    save.hidden = !showSub || (!editing && !failed && record && record.status === 'ATTENDANCE_STATUS_SUBSTITUTE');
    select.disabled = !!pending || closed;
    input.disabled = !!pending || closed;
    save.disabled = !!pending || closed;
    row.dataset.status = status;
    const error = row.querySelector('.form-error');
    const message = failed && !pending ? failed.message : '';
    error.hidden = !message;
    setText(error, message || '');
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    return row;
  });
  ordered.forEach((row, i) => {
    if (list.children[i] !== row) list.insertBefore(row, list.children[i] || null);
  });
  while (list.children.length > ordered.length) list.lastElementChild.remove();
}

function buildAttendanceRow(member) {
  const id = `att-${shortId(member.name)}`;
  const select = h('select', { id: `${id}-status`, attrs: { 'aria-label': `Attendance of ${member.displayName}` } },
    h('option', { value: '', text: 'Not checked in' }),
    ATTENDANCE_CHOICES.map(([value, text]) => h('option', { value, text })));
  const input = h('input', {
    id: `${id}-substitute`,
    attrs: { autocomplete: 'off', maxlength: '100', placeholder: 'Substitute\'s name', 'aria-label': `Substitute for ${member.displayName}`, 'aria-describedby': `${id}-error` },
  });
  const save = h('button', { type: 'button', class: 'secondary', text: 'Save' });
  const row = h('li', { class: 'att-row', dataset: { member: member.name } },
    h('label', { class: 'att-name', attrs: { for: `${id}-status` }, text: member.displayName }),
    select,
    h('div', { class: 'att-sub' }, input, save),
    h('p', { id: `${id}-error`, class: 'form-error', attrs: { role: 'alert' }, hidden: true }));
  select.addEventListener('change', () => {
    if (select.value === 'ATTENDANCE_STATUS_SUBSTITUTE') {
      row.dataset.editing = 'true';
      renderRunAttendance();
      input.focus();
    } else if (select.value) {
      delete row.dataset.editing;
      submitAttendance(member.name, select.value, '');
    }
  });
  input.addEventListener('input', () => { row.dataset.editing = 'true'; });
  save.addEventListener('click', () => {
    delete row.dataset.editing;
    submitAttendance(member.name, 'ATTENDANCE_STATUS_SUBSTITUTE', input.value);
  });
  return row;
}

function pendingStatusFor(referralName) {
  if (!state.outbox) return null;
  const item = state.outbox.items.find((i) => i.method === M.updateStatus && i.request.name === referralName);
  return item ? item.request.status : null;
}

function renderInbox() {
  const list = byId('inbox');
  const zone = tz();
  const open = state.inbox.filter((r) => STATUS_RANK[r.status] !== 4).length;
  setText(byId('inbox-count'), state.inbox.length ? `${open} open` : '');
  setText(byId('jump-inbox-count'), String(open));
  byId('jump-inbox-count').hidden = open === 0;
  byId('jump-inbox-count').setAttribute('aria-label', `${open} open`);
  byId('inbox-empty').hidden = state.inbox.length > 0;
  replaceChildren(list, state.inbox.map((r) => {
    const pending = pendingStatusFor(r.name);
    const rank = STATUS_RANK[r.status] || 0;
    const closed = rank === 4;
    const outside = r.kind === 'REFERRAL_KIND_OUTSIDE';
    const actions = closed ? [] : NEXT_STATUSES.filter((s) => STATUS_RANK[s.status] > rank).map((s) => h('button', {
      type: 'button',
      class: ['status-button', s.status === 'REFERRAL_STATUS_CLOSED_WON' && 'won', STATUS_RANK[s.status] === 4 && s.status !== 'REFERRAL_STATUS_CLOSED_WON' && 'closing'],
      dataset: { status: s.status },
      disabled: !!pending,
      text: s.label,
      attrs: { 'aria-label': `Mark the referral from ${state.roster.displayName(r.giver)} as ${s.label}` },
      on: { click: () => submitStatus(r, s.status, s.label) },
    }));
    const thank = r.status !== 'REFERRAL_STATUS_CLOSED_LOST' && r.status !== 'REFERRAL_STATUS_NOT_PURSUED'
      ? h('button', { type: 'button', class: 'link thank-link', text: 'Thank for closed business…', on: { click: () => prefillThanks(r) } })
      : null;
    return h('li', { class: ['referral', closed && 'closed'], dataset: { name: r.name, status: r.status } },
      h('div', { class: 'referral-head' },
        h('span', { class: 'referral-from', text: `From ${state.roster.displayName(r.giver)}` }),
        h('span', { class: ['status-badge', `status-${(r.status || '').toLowerCase()}`], text: pending ? `${STATUS_LABELS[pending]}…` : STATUS_LABELS[r.status] || '' })),
      h('div', { class: 'referral-meta' },
        temperatureFlames(r.temperature, temperatureLabel(r.temperature)),
        h('span', { text: outside ? 'outside: call the contact' : 'inside: they are the customer' }),
        h('span', { class: 'referral-date', text: formatDay(parseTime(r.createTime), zone, false) })),
      outside ? h('div', { class: 'referral-contact' },
        h('strong', { text: r.contactName }),
        r.contactPhone ? h('a', { href: `tel:${r.contactPhone.replace(/[^\d+]/g, '')}`, text: r.contactPhone }) : null,
        r.contactEmail ? h('a', { href: `mailto:${r.contactEmail}`, text: r.contactEmail }) : null) : null,
      r.note ? h('p', { class: 'referral-note', text: r.note }) : null,
      actions.length ? h('div', { class: 'status-actions', attrs: { role: 'group', 'aria-label': 'Move forward' } }, actions) : null,
      thank);
  }));
  renderThanksReferrals();
}

function renderThanksReferrals() {
  const select = byId('thanks-referral');
  const value = select.value;
  const choices = state.inbox.filter((r) => r.status !== 'REFERRAL_STATUS_CLOSED_LOST' && r.status !== 'REFERRAL_STATUS_NOT_PURSUED');
  replaceChildren(select, [select.options[0], ...choices.map((r) => h('option', {
    value: r.name,
    text: `From ${state.roster.displayName(r.giver)}${r.contactName ? ` · ${r.contactName}` : ''} · ${formatDay(parseTime(r.createTime), tz(), false)}`,
  }))]);
  select.value = choices.some((r) => r.name === value) ? value : '';
}

function prefillThanks(referral) {
  renderThanksReferrals();
  byId('thanks-referral').value = referral.name;
  byId('thanks-to').value = referral.giver;
  byId('thanks-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
  byId('thanks-amount').focus({ preventScroll: true });
}

function renderScore() {
  const card = byId('score-card');
  const score = state.scores.get(state.scoreWindow);
  card.hidden = !score;
  byId('jump-score').hidden = !score;
  if (!score) return;
  const windows = [...state.scores.keys()];
  replaceChildren(byId('score-windows'), windows.length > 1 ? windows.map((w) => h('button', {
    type: 'button',
    class: ['window-button', w === state.scoreWindow && 'active'],
    attrs: { 'aria-pressed': w === state.scoreWindow ? 'true' : 'false' },
    text: WINDOW_LABELS[w] || w,
    on: { click: () => { state.scoreWindow = w; renderScore(); } },
  })) : []);
  const band = score.band || 'grey';
  byId('score-band').className = `band-dot band-${band}`;
  setText(byId('score-points'), score.maxPoints ? `${score.points} / ${score.maxPoints}` : String(score.points || 0));
  setText(byId('score-band-name'), band);
  setText(byId('score-window-text'), WINDOW_LABELS[state.scoreWindow] ? `· last ${WINDOW_LABELS[state.scoreWindow]}` : '');
  card.dataset.band = band;
  replaceChildren(byId('score-rows'), (score.rows || []).map((row) => h('tr', { class: row.maxPoints && row.points >= row.maxPoints ? 'full' : '' },
    h('th', { attrs: { scope: 'row' }, text: row.name }),
    h('td', { text: row.measured }),
    h('td', { class: 'num', text: row.maxPoints ? `${row.points}/${row.maxPoints}` : String(row.points || 0) }))));
}

function renderPending(items) {
  const count = items.length;
  setText(byId('pending-count'), String(count));
  setText(byId('pending-count-2'), String(count));
  byId('pending-badge').hidden = count === 0;
  byId('pending').hidden = count === 0;
  const now = Date.now();
  replaceChildren(byId('pending-list'), items.map((item) => {
    let detail;
    if (item.state === 'sending') detail = 'sending…';
    else if (item.attempts === 0) detail = 'waiting to be sent';
    else {
      const wait = Math.max(0, Math.ceil((item.nextAt - now) / 1000));
      detail = `${item.lastError || 'no answer'} · ${item.attempts} ${item.attempts === 1 ? 'try' : 'tries'} · next ${wait > 0 ? `in ${wait} s` : 'now'}`;
    }
    return h('li', { class: 'pending-item', dataset: { id: item.id, state: item.state } },
      h('span', { class: 'pending-label', text: item.label }),
      h('span', { class: 'pending-detail', text: detail }));
  }));
}

function renderRejected() {
  const card = byId('rejected');
  card.hidden = state.rejected.length === 0;
  replaceChildren(byId('rejected-list'), state.rejected.map((entry) => h('li', { class: 'rejected-item', dataset: { id: entry.id } },
    h('span', { class: 'pending-label', text: entry.label }),
    h('span', { class: 'rejected-message', text: entry.message }),
    h('span', { class: 'rejected-actions' },
      [M.giveReferral, M.thankYou, M.oneToOne].includes(entry.method)
        ? h('button', { type: 'button', class: 'secondary', text: 'Fix and send', on: { click: () => editRejected(entry) } }) : null,
      h('button', {
        type: 'button',
        class: 'link',
        text: 'Dismiss',
        on: {
          click: () => {
            state.rejected = state.rejected.filter((r) => r.id !== entry.id);
            saveJson(REJECTED_KEY, state.rejected);
            renderRejected();
          },
        },
      })))));
}

function toast(text, kind = '') {
  const box = byId('toasts');
  const item = h('div', { class: ['toast', kind], text });
  box.appendChild(item);
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => item.remove(), 5000);
}

boot();
