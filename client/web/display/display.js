// The room display: the chapter's live meeting on the projector (1920x1080), read-only, with the
// chapter's display token. Everything shown comes from the server; nothing is made up.

import { call, isMissingPlugin, listAll, loadJson, saveJson, takeFragmentParams } from '/shared/api.js';
import { EventStream, ServerClock, parseTime } from '/shared/events.js';
import { byId, debounce, h, replaceChildren, setText, temperatureFlames } from '/shared/dom.js';
import {
  Roster, bandLabel, formatAmount, formatClock, formatDay, formatDuration, formatMoney, formatNumber, meetingStateLabel,
  shortId, temperatureLabel, windowSpanLabel,
} from '/shared/format.js';
import { language, t, tParts, useLanguage } from '/shared/i18n.js';
import { fitList, fitScale, overflows } from '/display/fit.js';
import { PROVISIONAL, meetingRecap, nextFeaturePresenter, trafficSummary } from '/display/summary.js';

const STORAGE_KEY = 'reciproca.display';
// How far back the ticker looks when the screen is (re)opened: at most this many events, and
// only those of the current meeting (or of the last 12 hours when there is none).
const HISTORY_EVENTS = 400;
const TICKER_MAX = 14;
// Referrals, thank-yous and one-to-ones the log told this screen (for the closing recap).
const RECORDS_MAX = 5000;

const state = {
  token: '',
  chapterName: '',
  chapter: null,
  roster: new Roster(),
  meeting: null,
  snapshotSeq: 0,
  historyFrom: 0,
  stream: null,
  clock: new ServerClock(),
  seenTicker: new Set(),
  lastCountdown: '',
  records: new Map(), // seq -> {kind, time, amount}
  boards: null, // the leaderboards last read, redrawn on a resize
};

const el = {};

function cacheElements() {
  for (const id of ['setup', 'setup-message', 'screen', 'chapter-name', 'meeting-line', 'clock', 'conn',
    'conn-text', 'stage-kicker', 'segment-title', 'countdown', 'progress-bar', 'speaker', 'speaker-name',
    'speaker-business', 'next', 'next-name', 'ticker-list', 'ticker-empty', 'checkin-count', 'checkins',
    'visitors-block', 'visitor-count', 'visitors', 'leaderboard-panel', 'leaderboard',
    'leaderboard-window', 'tyfcb-board-wrap', 'tyfcb-board', 'tyfcb-window', 'traffic-panel',
    'traffic-window', 'traffic-bar', 'traffic-counts', 'stage-body', 'recap', 'recap-tiles', 'recap-next']) {
    el[id] = byId(id);
  }
  el.stage = document.querySelector('.stage');
}

function api(method, request) {
  return call(method, request, { token: state.token });
}

// ---- start -------------------------------------------------------------------------------

async function boot() {
  cacheElements();
  await useLanguage(browserLanguages());
  const params = takeFragmentParams();
  let saved = loadJson(STORAGE_KEY, null);
  if (params.get('token')) {
    saved = { token: params.get('token'), chapter: params.get('chapter') || '' };
    saveJson(STORAGE_KEY, saved);
  }
  if (!saved || !saved.token) {
    showSetup(t('display.setup.needs_link'));
    return;
  }
  state.token = saved.token;
  state.chapterName = saved.chapter || '';
  el.screen.hidden = false;
  requestAnimationFrame(tick);
  setInterval(renderClock, 1000);
  window.addEventListener('resize', debounce(refit, 200));
  window.addEventListener('online', () => state.stream && state.stream.retryNow());
  await loadSnapshot();
}

function browserLanguages() {
  return navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
}

// The room reads the chapter's language (Chapter.language, BCP 47); the browser's until the
// chapter says. A change redraws what is shown (ticker entries already shown keep their words).
async function followChapterLanguage() {
  const wanted = [state.chapter && state.chapter.language, ...browserLanguages()];
  const before = language();
  const after = await useLanguage(wanted);
  if (after !== before && state.chapter) {
    if (el.conn.dataset.state === 'live') setConnection('live', t('display.conn.live'));
    renderChapter();
    renderMeeting();
    renderClock();
    refreshInsights();
  }
}

function showSetup(message) {
  if (state.stream) state.stream.stop();
  el.screen.hidden = true;
  el.setup.hidden = false;
  setText(el['setup-message'], message);
}

// Reads the chapter, the roster and the current meeting, then follows the event log. Retries
// (with the connection indicator saying so) until the server answers.
async function loadSnapshot(attempt = 0) {
  const retry = (result) => {
    if (result.status === 401 || result.status === 403) {
      saveJson(STORAGE_KEY, null);
      showSetup(t('display.setup.refused', { message: result.message }));
      return;
    }
    const delay = Math.min(500 * 2 ** attempt, 5000);
    setConnection('retrying', result.status === 0 ? t('display.conn.unreachable') : t('display.conn.retrying', { message: result.message }));
    setTimeout(() => loadSnapshot(attempt + 1), delay);
  };
  setConnection('connecting', t('common.connecting'));
  if (!state.chapterName) {
    const who = await api('reciproca.v1.ChapterService/WhoAmI', {});
    if (!who.ok) return retry(who);
    state.chapterName = who.body.chapter || '';
    if (!state.chapterName) {
      showSetup(t('display.setup.not_display'));
      return;
    }
  }
  const chapter = await api('reciproca.v1.ChapterService/GetChapter', { name: state.chapterName });
  if (!chapter.ok) return retry(chapter);
  state.chapter = chapter.body;
  state.snapshotSeq = Number(chapter.body.lastSeq || 0);
  await followChapterLanguage();
  const members = await listAll('reciproca.v1.MemberService/ListMembers',
    { parent: state.chapterName, showLeft: true }, 'members', { token: state.token });
  if (!members.ok) return retry(members);
  state.roster.set(members.items);
  const meetingResult = await fetchCurrentMeeting();
  if (!meetingResult.ok) return retry(meetingResult);
  state.meeting = meetingResult.meeting;
  state.historyFrom = historyStart();
  renderChapter();
  renderMeeting();
  refreshInsights();
  setInterval(refreshChapter, 60000);
  setInterval(refreshInsights, 60000);
  startStream();
}

function historyStart() {
  const m = state.meeting;
  if (m && (m.state === 'MEETING_STATE_OPEN' || m.state === 'MEETING_STATE_IN_PROGRESS')) {
    const opened = parseTime(m.openTime);
    const start = parseTime(m.startTime);
    const from = Number.isFinite(opened) ? opened : start - 2 * 3600 * 1000;
    if (Number.isFinite(from)) return Math.min(from, Date.now());
  }
  return Date.now() - 12 * 3600 * 1000;
}

function startStream() {
  state.stream = new EventStream({
    chapter: state.chapterName,
    token: state.token,
    afterSeq: Math.max(0, state.snapshotSeq - HISTORY_EVENTS),
    onEvent,
    onTime: (now) => state.clock.sample(now),
    onStatus: (status, detail) => {
      if (status === 'live') setConnection('live', t('display.conn.live'));
      else if (status === 'connecting') setConnection('connecting', t('common.connecting'));
      else if (status === 'retrying') {
        setConnection('retrying', t('display.conn.reconnecting', { seconds: Math.round(detail.delayMs / 100) / 10 }));
      }
    },
    onFatal: (error) => {
      if (error.code === 'UNAUTHENTICATED' || error.code === 'PERMISSION_DENIED') {
        saveJson(STORAGE_KEY, null);
        showSetup(t('display.setup.refused', { message: error.message }));
        return;
      }
      setConnection('failed', t('display.conn.reloading', { message: error.message || error.code }));
      // The log is not what this screen saw (a restored server?): start again from scratch.
      setTimeout(() => window.location.reload(), 10000);
    },
  });
  state.stream.start();
}

function setConnection(status, text) {
  el.conn.dataset.state = status;
  setText(el['conn-text'], text);
}

// ---- server reads ------------------------------------------------------------------------

async function fetchCurrentMeeting() {
  const result = await api('reciproca.v1.MeetingService/ListMeetings', { parent: state.chapterName, pageSize: 10 });
  if (!result.ok) return result;
  const meetings = result.body.meetings || [];
  const meeting = meetings.find((m) => m.state === 'MEETING_STATE_IN_PROGRESS') ||
    meetings.find((m) => m.state === 'MEETING_STATE_OPEN') || meetings[0] || null;
  return { ok: true, meeting };
}

const refreshMeeting = debounce(async () => {
  const result = await fetchCurrentMeeting();
  if (!result.ok) return;
  state.meeting = result.meeting;
  renderMeeting();
}, 150);

async function refreshChapter() {
  const chapter = await api('reciproca.v1.ChapterService/GetChapter', { name: state.chapterName });
  if (chapter.ok) {
    state.chapter = chapter.body;
    await followChapterLanguage();
    renderChapter();
    renderAmounts();
  }
}

// ---- events ------------------------------------------------------------------------------

const INSIGHT_EVENTS = ['chapterUpdated', 'referralGiven', 'thankYouRecorded', 'oneToOneRecorded', 'visitorRegistered',
  'attendanceRecorded', 'meetingClosed', 'meetingOpened', 'educationRecorded', 'testimonialRecorded',
  'pluginOutput', 'memberAdded', 'memberLeft', 'memberUpdated'];

function onEvent(event) {
  const seq = Number(event.seq || 0);
  const live = seq > state.snapshotSeq;
  const time = parseTime(event.time);
  if (event.referralGiven || event.thankYouRecorded) {
    if (live || time >= state.historyFrom) addToTicker(event, live);
  }
  if (event.referralGiven || event.thankYouRecorded || event.oneToOneRecorded) remember(event, seq, time);
  if (!live) return; // the snapshot already holds everything up to snapshotSeq

  if (event.chapterUpdated && event.chapterUpdated.chapter) {
    // The event carries the whole chapter (without its default values: displayAmounts false is
    // simply absent), so it replaces what the screen knew.
    state.chapter = { ...event.chapterUpdated.chapter };
    followChapterLanguage();
    renderChapter();
    renderAmounts();
    refreshInsightsSoon();
  }
  if (event.memberAdded) state.roster.upsert(event.memberAdded.member);
  if (event.memberUpdated) state.roster.upsert(event.memberUpdated.member);
  if (event.memberLeft) {
    const m = state.roster.get(event.memberLeft.member);
    if (m) state.roster.upsert({ ...m, state: 'MEMBER_STATE_LEFT' });
  }
  if (event.memberAdded || event.memberUpdated || event.memberLeft) renderMeeting();

  const meeting = state.meeting;
  if (event.segmentStarted) {
    const s = event.segmentStarted;
    if (meeting && s.meeting === meeting.name && s.segment) {
      const segments = meeting.segments || (meeting.segments = []);
      const known = segments.some((x) => x.startTime === s.segment.startTime && x.title === s.segment.title);
      if (!known) segments.push(s.segment);
      meeting.state = 'MEETING_STATE_IN_PROGRESS';
      renderMeeting();
    }
    refreshMeeting(); // the server's computed fields (next speaker)
  }
  if (event.attendanceRecorded) {
    const a = event.attendanceRecorded;
    if (meeting && a.meeting === meeting.name && a.attendance) {
      const list = meeting.attendance || (meeting.attendance = []);
      const i = list.findIndex((x) => x.member === a.attendance.member);
      if (i >= 0) list[i] = a.attendance;
      else list.push(a.attendance);
      renderAttendance();
    } else {
      refreshMeeting();
    }
  }
  if (event.visitorRegistered) {
    const v = event.visitorRegistered;
    if (meeting && v.meeting === meeting.name && v.visitor) {
      const list = meeting.visitors || (meeting.visitors = []);
      if (!list.some((x) => x.name === v.visitor.name)) list.push(v.visitor);
      renderAttendance();
    } else {
      refreshMeeting();
    }
  }
  if (event.meetingScheduled || event.meetingOpened || event.meetingClosed) refreshMeeting();
  if (event.pluginOutput) {
    missingUntil.leaderboard = 0;
    missingUntil.scores = 0;
  }
  if (INSIGHT_EVENTS.some((k) => event[k])) refreshInsightsSoon();
}

function remember(event, seq, time) {
  const kind = event.referralGiven ? 'referral' : event.thankYouRecorded ? 'thanks' : 'oneToOne';
  const amount = event.thankYouRecorded && event.thankYouRecorded.thankYou ? event.thankYouRecorded.thankYou.amount : null;
  state.records.set(seq, { kind, time, amount });
  if (state.records.size > RECORDS_MAX) state.records.delete(state.records.keys().next().value);
  if (state.meeting && state.meeting.state === 'MEETING_STATE_CLOSED') renderRecapSoon();
}

function addToTicker(event, live) {
  let key;
  let item;
  if (event.referralGiven) {
    const r = event.referralGiven.referral || {};
    key = r.name || `seq-${event.seq}`;
    const outside = r.kind === 'REFERRAL_KIND_OUTSIDE';
    item = h('li', { class: ['ticker-item', 'kind-referral', live && 'fresh'], dataset: { name: key, seq: event.seq } },
      h('span', { class: 'ticker-badge', text: t('display.ticker.referral') }),
      h('span', { class: 'ticker-names' },
        h('span', { class: 'giver', text: state.roster.displayName(r.giver) }),
        h('span', { class: 'arrow', attrs: { 'aria-label': t('display.ticker.to') }, text: '→' }),
        h('span', { class: 'receiver', text: state.roster.displayName(r.receiver) })),
      h('span', { class: 'ticker-meta' },
        temperatureFlames(r.temperature, temperatureLabel(r.temperature)),
        h('span', { class: 'ticker-kind', text: outside ? t('display.ticker.outside') : t('display.ticker.inside') }),
        h('time', { class: 'ticker-time', text: formatClock(parseTime(event.time), tz()) })));
  } else {
    const thanks = event.thankYouRecorded.thankYou || {};
    key = thanks.name || `seq-${event.seq}`;
    const amount = formatMoney(thanks.amount);
    const repeat = thanks.businessType === 'BUSINESS_TYPE_REPEAT';
    item = h('li', { class: ['ticker-item', 'kind-thanks', live && 'fresh'], dataset: { name: key, seq: event.seq } },
      h('span', { class: 'ticker-badge', text: t('display.ticker.thanks') }),
      // Who thanked whom, in words: "Marco Bianchi thanked Ana Rossi".
      h('span', { class: 'ticker-names' }, tParts('display.ticker.thanked_line', {
        from: h('span', { class: 'giver', text: state.roster.displayName(thanks.fromMember) }),
        to: h('span', { class: 'receiver', text: state.roster.displayName(thanks.toMember) }),
      }).map((part) => (typeof part === 'string' ? h('span', { class: 'thanked', text: part }) : part))),
      h('span', { class: 'ticker-meta' },
        h('span', { class: 'ticker-kind', text: repeat ? t('display.ticker.repeat') : t('display.ticker.new') }),
        amount ? h('span', { class: 'ticker-amount', text: amount, hidden: !showAmounts() }) : null,
        h('time', { class: 'ticker-time', text: formatClock(parseTime(event.time), tz()) })));
  }
  if (state.seenTicker.has(key)) return;
  state.seenTicker.add(key);
  item.dataset.addedAt = String(Date.now());
  el['ticker-list'].prepend(item);
  while (el['ticker-list'].children.length > TICKER_MAX) el['ticker-list'].lastElementChild.remove();
  el['ticker-empty'].hidden = true;
  fitTicker();
  if (live) setTimeout(() => item.classList.remove('fresh'), 6000);
}

// ---- rendering ---------------------------------------------------------------------------

function tz() {
  return state.chapter ? state.chapter.timeZone : undefined;
}

// TYFCB amounts are shown only when the chapter allows it (Chapter.displayAmounts).
function showAmounts() {
  return !!(state.chapter && state.chapter.displayAmounts);
}

function renderAmounts() {
  for (const amount of el['ticker-list'].querySelectorAll('.ticker-amount')) amount.hidden = !showAmounts();
  fitTicker();
  if (state.meeting && state.meeting.state === 'MEETING_STATE_CLOSED') renderRecap();
}

// The newest entries that fit, whole: the oldest leave the bottom (a live feed needs no count).
function fitTicker() {
  fitList(el['ticker-list'], el['ticker-list'], { keep: 1 });
}

// After a resize: everything measured again.
function refit() {
  renderMeeting();
  fitTicker();
  if (state.boards) renderBoards(state.boards);
}

function renderChapter() {
  // Never the raw resource name ("chapters/rome-centro") on screen.
  setText(el['chapter-name'], state.chapter ? state.chapter.displayName || shortId(state.chapterName) : '');
  el['chapter-name'].title = el['chapter-name'].textContent;
  document.title = `${el['chapter-name'].textContent} · Reciproca`;
}

function currentSegment() {
  const m = state.meeting;
  if (!m || m.state !== 'MEETING_STATE_IN_PROGRESS') return null;
  const segments = m.segments || [];
  return segments.length ? segments[segments.length - 1] : null;
}

function renderMeeting() {
  const m = state.meeting;
  const zone = tz();
  if (!m) {
    setText(el['meeting-line'], t('display.meeting.none'));
  } else {
    const start = parseTime(m.startTime);
    setText(el['meeting-line'], `${formatDay(start, zone)} · ${meetingStateLabel(m.state)}`);
  }
  const segment = currentSegment();
  el.stage.dataset.mode = segment ? 'segment' : (m ? m.state : 'none');
  if (segment) {
    setText(el['stage-kicker'], t('common.now'));
    setText(el['segment-title'], segment.title);
    const speaker = segment.speaker ? state.roster.get(segment.speaker) : null;
    el.speaker.hidden = !segment.speaker;
    setText(el['speaker-name'], segment.speaker ? state.roster.displayName(segment.speaker) : '');
    setText(el['speaker-business'], speaker ? [speaker.business, speaker.category].filter(Boolean).join(' · ') : '');
    el.next.hidden = !segment.nextSpeaker;
    setText(el['next-name'], segment.nextSpeaker ? state.roster.displayName(segment.nextSpeaker) : '');
    el.stage.classList.toggle('with-speaker', !!(segment.speaker || segment.nextSpeaker));
  } else {
    el.speaker.hidden = true;
    el.next.hidden = true;
    el.stage.classList.remove('with-speaker');
    if (!m) {
      setText(el['stage-kicker'], 'Reciproca');
      setText(el['segment-title'], t('display.stage.no_meeting'));
    } else if (m.state === 'MEETING_STATE_SCHEDULED') {
      setText(el['stage-kicker'], t('display.stage.next'));
      setText(el['segment-title'], formatDay(parseTime(m.startTime), zone));
    } else if (m.state === 'MEETING_STATE_OPEN') {
      setText(el['stage-kicker'], t('display.stage.open'));
      setText(el['segment-title'], t('display.stage.welcome'));
    } else if (m.state === 'MEETING_STATE_CLOSED') {
      setText(el['stage-kicker'], t('display.stage.closed'));
      setText(el['segment-title'], t('display.stage.thanks'));
    } else {
      setText(el['stage-kicker'], t('common.now'));
      setText(el['segment-title'], '');
    }
  }
  el.recap.hidden = !(m && m.state === 'MEETING_STATE_CLOSED');
  if (!el.recap.hidden) renderRecap();
  renderCountdown();
  renderAttendance();
  fitScale(el['stage-body']);
}

const renderRecapSoon = debounce(() => renderRecap(), 300);

// The closing recap: what this meeting brought, from the records the log told this screen.
function renderRecap() {
  const m = state.meeting;
  if (!m || m.state !== 'MEETING_STATE_CLOSED') return;
  const recap = meetingRecap(m, [...state.records.values()], state.roster.active().length);
  const amounts = showAmounts() ? recap.amounts.map((a) => formatAmount(a.value, a.currency)).join(' · ') : '';
  const tile = (kind, number, label, extra) => h('li', { class: 'recap-tile', dataset: { kind } },
    h('span', { class: 'recap-number', text: number }),
    h('span', { class: 'recap-label', text: label }),
    extra ? h('span', { class: 'recap-extra', text: extra }) : null);
  replaceChildren(el['recap-tiles'],
    tile('referrals', formatNumber(recap.referrals), t('display.recap.referrals', { count: recap.referrals })),
    tile('thanks', formatNumber(recap.thanks), t('display.recap.thanks', { count: recap.thanks }), amounts),
    tile('visitors', formatNumber(recap.visitors), t('display.recap.visitors', { count: recap.visitors })),
    tile('one-to-ones', formatNumber(recap.oneToOnes), t('display.recap.one_to_ones', { count: recap.oneToOnes })),
    tile('attendance', formatNumber(recap.here),
      t('display.recap.attendance', { count: recap.here, total: recap.members })));
  // "Next week: Sara's feature presentation" when the rotation names next meeting's presenter.
  const next = nextFeaturePresenter(parseTime(m.startTime), state.chapter);
  el['recap-next'].hidden = !next;
  // With that line, the tiles take three columns, so that the whole recap fits the stage.
  el.recap.classList.toggle('with-next', !!next);
  setText(el['recap-next'], next ? t('display.recap.next_feature', { name: state.roster.displayName(next.member) }) : '');
  fitScale(el['stage-body']);
}

function renderCountdown() {
  const segment = currentSegment();
  const countdown = el.countdown;
  let text = '';
  let over = '';
  let mode = 'none';
  let fraction = 0;
  const m = state.meeting;
  const now = state.clock.now();
  if (segment) {
    const start = parseTime(segment.startTime);
    const total = Number(segment.countdownSeconds || 0);
    if (total > 0 && Number.isFinite(start)) {
      const remaining = start + total * 1000 - now;
      if (remaining > 0) {
        text = formatDuration(Math.ceil(remaining / 1000));
        mode = remaining <= Math.min(10000, total * 250) ? 'warning' : 'running';
        fraction = Math.min(1, remaining / (total * 1000));
      } else {
        text = `+${formatDuration(Math.floor(-remaining / 1000))}`;
        over = t('display.countdown.over');
        mode = 'overrun';
        fraction = 0;
      }
    } else if (Number.isFinite(start)) {
      text = formatDuration(Math.max(0, now - start) / 1000);
      mode = 'elapsed';
    }
  } else if (m && m.state === 'MEETING_STATE_OPEN') {
    const start = parseTime(m.startTime);
    if (Number.isFinite(start) && start > now) {
      text = formatDuration(Math.ceil((start - now) / 1000));
      mode = 'before-start';
    }
  }
  if (text + over !== state.lastCountdown) {
    const before = state.lastCountdown;
    state.lastCountdown = text + over;
    if (before.length !== state.lastCountdown.length) requestAnimationFrame(() => fitScale(el['stage-body']));
    if (mode === 'overrun') {
      // "+0:07 over": the word smaller, under the number.
      replaceChildren(countdown, text, h('span', { class: 'countdown-word', text: ` ${over}` }));
    } else {
      countdown.textContent = text;
    }
  }
  if (countdown.dataset.mode !== mode) {
    countdown.dataset.mode = mode;
    countdown.classList.toggle('overrun', mode === 'overrun');
    countdown.classList.toggle('warning', mode === 'warning');
    countdown.setAttribute('aria-label', mode === 'overrun' ? t('display.countdown.over_label', { time: text }) : t('display.countdown.left_label', { time: text }));
    el.stage.classList.toggle('overrun', mode === 'overrun');
  }
  el['progress-bar'].style.transform = `scaleX(${mode === 'running' || mode === 'warning' ? fraction : mode === 'overrun' ? 1 : 0})`;
  el['progress-bar'].dataset.mode = mode;
}

function renderClock() {
  if (!state.chapter) return;
  setText(el.clock, formatClock(state.clock.now(), tz()));
}

function tick() {
  if (el.stage) renderCountdown();
  requestAnimationFrame(tick);
}

function renderAttendance() {
  const m = state.meeting;
  const attendance = (m && m.attendance) || [];
  const here = attendance
    .filter((a) => ['ATTENDANCE_STATUS_PRESENT', 'ATTENDANCE_STATUS_LATE', 'ATTENDANCE_STATUS_SUBSTITUTE'].includes(a.status))
    .sort((a, b) => (parseTime(b.recordTime) || 0) - (parseTime(a.recordTime) || 0)); // newest first
  const activeCount = state.roster.active().length;
  setText(el['checkin-count'], m ? t('common.here_of', { count: here.length, total: activeCount }) : '');

  const visitors = (m && m.visitors) || [];
  el['visitors-block'].hidden = visitors.length === 0;
  setText(el['visitor-count'], visitors.length ? formatNumber(visitors.length) : '');
  // Newest first; those that do not fit are counted ("+3 more").
  replaceChildren(el.visitors, visitors.slice().reverse().map((v) => {
    const host = v.invitedBy ? t('common.guest_of', { name: state.roster.displayName(v.invitedBy) }) : '';
    return h('li', { class: 'visitor', dataset: { name: v.name } },
      h('span', { class: 'visitor-name', text: v.displayName }),
      h('span', { class: 'visitor-business', text: [v.business, host].filter(Boolean).join(' · ') }));
  }));
  fitList(el.visitors, el.visitors, {
    keep: 1,
    more: (count) => h('li', { class: 'visitor more', text: t('display.visitors.more', { count }) }),
  });

  const chips = here.map((a) => {
    const name = state.roster.displayName(a.member);
    if (a.status === 'ATTENDANCE_STATUS_SUBSTITUTE') {
      return h('li', { class: 'chip substitute', dataset: { member: a.member } },
        a.substituteName || t('display.chip.substitute'), h('span', { class: 'chip-note', text: ` ${t('display.chip.for', { name })}` }));
    }
    return h('li', { class: ['chip', a.status === 'ATTENDANCE_STATUS_LATE' && 'late'], dataset: { member: a.member } },
      name, a.status === 'ATTENDANCE_STATUS_LATE' ? h('span', { class: 'chip-note', text: ` ${t('display.chip.late')}` }) : null);
  });
  if (m && here.length === 0) chips.push(h('li', { class: 'empty', text: t('display.checkins.none') }));
  replaceChildren(el.checkins, chips);
  // The newest check-ins first; those that do not fit are counted ("+12 more").
  fitList(el.checkins, el.checkins, { more: (count) => h('li', { class: 'chip more', text: t('display.chips.more', { count }) }) });
}

// ---- plugins: leaderboard and traffic light ---------------------------------------------

const refreshInsightsSoon = debounce(() => refreshInsights(), 1500);

async function refreshInsights() {
  if (!state.chapter) return;
  await Promise.all([refreshLeaderboard(), refreshTraffic()]);
}

// When no plugin answers a kind of question, it is asked again only after a while (or when a
// plugin shows signs of life in the log), not on every event.
const MISSING_PLUGIN_RETRY_MS = 5 * 60 * 1000;
const missingUntil = { leaderboard: 0, scores: 0 };

async function leaderboard(board, window, limit) {
  if (Date.now() < missingUntil.leaderboard) return { missing: true, entries: [] };
  const result = await api('reciproca.v1.InsightService/GetLeaderboard',
    { chapter: state.chapterName, board, window, limit });
  if (!result.ok) {
    const missing = isMissingPlugin(result);
    if (missing) missingUntil.leaderboard = Date.now() + MISSING_PLUGIN_RETRY_MS;
    return { missing, entries: [] };
  }
  return { entries: result.body.entries || [], window: result.body.window || window };
}

async function refreshLeaderboard() {
  const inMeeting = state.meeting && ['MEETING_STATE_OPEN', 'MEETING_STATE_IN_PROGRESS'].includes(state.meeting.state);
  let board = inMeeting ? await leaderboard('referrals_given', 'meeting', 5) : { entries: [] };
  if (!board.missing && board.entries.length === 0) board = await leaderboard('referrals_given', '30d', 5);
  const tyfcb = showAmounts() && !board.missing ? await leaderboard('tyfcb_generated', '6m', 3) : { entries: [] };
  state.boards = { board, tyfcb };
  renderBoards(state.boards);
}

// The boards, as many rows as fit: the longer list gives up its last row first, and the
// business board is hidden rather than shown as a heading alone.
function renderBoards({ board, tyfcb }) {
  const any = board.entries.length > 0 || tyfcb.entries.length > 0;
  el['leaderboard-panel'].hidden = !any;
  if (!any) return;
  setText(el['leaderboard-window'], board.entries.length ? windowSpanLabel(board.window) : '');
  replaceChildren(el.leaderboard, board.entries.map((entry) => boardRow(entry, formatNumber(Number(entry.value || 0)))));
  el['tyfcb-board-wrap'].hidden = tyfcb.entries.length === 0;
  setText(el['tyfcb-window'], windowSpanLabel(tyfcb.window));
  replaceChildren(el['tyfcb-board'], tyfcb.entries.map((entry) => boardRow(entry, moneyText(entry))));
  const panel = el['leaderboard-panel'];
  while (overflows(panel, { across: false })) {
    const givers = el.leaderboard.children.length;
    const business = el['tyfcb-board-wrap'].hidden ? 0 : el['tyfcb-board'].children.length;
    if (business > 0 && business >= givers) el['tyfcb-board'].lastElementChild.remove();
    else if (givers > 1) el.leaderboard.lastElementChild.remove();
    else break;
    if (!el['tyfcb-board-wrap'].hidden && el['tyfcb-board'].children.length === 0) el['tyfcb-board-wrap'].hidden = true;
  }
  panel.hidden = overflows(panel, { across: false }) && el.leaderboard.children.length <= 1 && el['tyfcb-board-wrap'].hidden;
}

// A money board's value (minor units, cents) in the page's one money format; the plugin's own
// text when the chapter's currency is not known.
function moneyText(entry) {
  const currency = state.chapter && state.chapter.currency;
  if (!currency) return entry.valueText || '';
  try {
    return formatAmount(Number(entry.value || 0) / 100, currency);
  } catch {
    return entry.valueText || '';
  }
}

function boardRow(entry, value) {
  return h('li', { class: 'board-row', dataset: { member: entry.member } },
    h('span', { class: 'rank', text: entry.rank }),
    h('span', { class: 'board-name', text: entry.displayName || state.roster.displayName(entry.member) }),
    h('span', { class: 'board-value', text: value }));
}

async function refreshTraffic() {
  if (Date.now() < missingUntil.scores) {
    el['traffic-panel'].hidden = true;
    return;
  }
  const result = await api('reciproca.v1.InsightService/GetScores', { chapter: state.chapterName });
  if (!result.ok && isMissingPlugin(result)) missingUntil.scores = Date.now() + MISSING_PLUGIN_RETRY_MS;
  if (!result.ok && !isMissingPlugin(result) && !el['traffic-panel'].hidden) return; // keep what is shown
  const scores = result.ok ? result.body.scores || [] : [];
  el['traffic-panel'].hidden = scores.length === 0;
  if (scores.length === 0) return;
  // Only the bands someone is in; members too new for a band apart ("12 new"), out of the bar.
  const { counts, provisional } = trafficSummary(scores);
  const window = result.body.window || '';
  setText(el['traffic-window'], windowSpanLabel(window));
  replaceChildren(el['traffic-bar'], [...counts].map(([band, n]) => {
    const part = h('span', { class: `traffic-part band-${band}` });
    part.style.flexGrow = String(n);
    return part;
  }));
  el['traffic-bar'].hidden = counts.size === 0;
  const count = (band, n, label, extra) => h('li', { class: ['traffic-count', `band-${band}`, extra], dataset: { band } },
    h('span', { class: 'traffic-dot', attrs: { 'aria-hidden': 'true' } }),
    h('span', { class: 'traffic-number', text: formatNumber(n) }),
    h('span', { class: 'traffic-label', text: label }));
  replaceChildren(el['traffic-counts'], [...counts].map(([band, n]) => count(band, n, bandLabel(band))),
    provisional ? count(PROVISIONAL, provisional, t('display.traffic.provisional', { count: provisional }), 'provisional') : null);
}

boot();
