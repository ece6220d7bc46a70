// What the server says: the reads that refresh a part of the page, and the chapter's live events
// that trigger them.

import { call, isMissingPlugin, listAll } from '/shared/api.js';
import { parseTime } from '/shared/events.js';
import { byId, debounce, h, replaceChildren } from '/shared/dom.js';
import { formatMoney } from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { M, saveCache, state } from '/app/state.js';
import { renderInbox } from '/app/inbox.js';
import { renderAll, renderMeeting, renderScore, toast } from '/app/render.js';
import { applySubstituteEvent, renderSubstitutes } from '/app/substitutes.js';
import { refreshPipelineSoon } from '/app/visitors.js';

export async function fetchMeeting() {
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

export const refreshMeetingSoon = debounce(async () => {
  const result = await fetchMeeting();
  if (!result.ok) return;
  state.meeting = result.meeting;
  state.meetings = result.meetings;
  renderMeeting();
  saveCache();
}, 200);

export const refreshMembersSoon = debounce(async () => {
  const members = await listAll(M.listMembers, { parent: state.chapterName, showLeft: true }, 'members', { token: state.token });
  if (!members.ok) return;
  state.roster.set(members.items);
  renderAll();
  saveCache();
}, 300);

export async function refreshInbox() {
  const result = await call(M.listReferrals,
    { parent: state.chapterName, receiver: state.memberName, pageSize: 50 }, { token: state.token });
  if (!result.ok) return;
  state.inbox = result.body.referrals || [];
  renderInbox();
  saveCache();
}

export const refreshInboxSoon = debounce(refreshInbox, 200);

// When no plugin answers a kind of question, it is asked again only after a while (or when a
// plugin shows signs of life in the log), not after every event.
export const MISSING_PLUGIN_RETRY_MS = 5 * 60 * 1000;

export const missingUntil = { scores: 0, reminders: 0 };

export async function refreshScore() {
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

export const refreshScoreSoon = debounce(refreshScore, 1500);

export async function refreshReminders() {
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

export const refreshRemindersSoon = debounce(refreshReminders, 1000);

export function onEvent(event) {
  const me = state.memberName;
  if (event.referralGiven) {
    const r = event.referralGiven.referral || {};
    if (r.receiver === me) {
      toast(t('app.toast.new_referral', { name: state.roster.displayName(r.giver) }), 'good');
      refreshInboxSoon();
    }
  }
  if (event.referralStatusChanged && state.inbox.some((r) => r.name === event.referralStatusChanged.referral)) {
    refreshInboxSoon();
  }
  if (event.thankYouRecorded) {
    const thanks = event.thankYouRecorded.thankYou || {};
    if (thanks.toMember === me) {
      const amount = formatMoney(thanks.amount);
      const name = state.roster.displayName(thanks.fromMember);
      toast(amount ? t('app.toast.thanked_amount', { name, amount }) : t('app.toast.thanked', { name }), 'good');
    }
    if (thanks.referral && state.inbox.some((r) => r.name === thanks.referral)) refreshInboxSoon();
  }
  if (event.meetingScheduled || event.meetingOpened || event.meetingClosed || event.meetingCancelled || event.palmsSubmitted || event.segmentStarted ||
      event.attendanceRecorded || event.visitorRegistered) {
    refreshMeetingSoon();
  }
  if (event.memberAdded || event.memberUpdated || event.memberLeft) refreshMembersSoon();
  if (event.visitorInvited || event.visitorRegistered || event.visitorStateChanged) refreshPipelineSoon();
  if (event.chapterUpdated && event.chapterUpdated.chapter) {
    state.chapter = { ...event.chapterUpdated.chapter };
    renderAll();
    saveCache();
  }
  if (applySubstituteEvent(event)) {
    renderSubstitutes();
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
