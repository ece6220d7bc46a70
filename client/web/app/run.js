// Running the meeting (organizers): schedule and open it, start agenda segments, the next
// speaker, attendance corrections, close it; and the run card that shows what it needs next.

import { parseTime } from '/shared/events.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import {
  attendanceLabel, formatDay, formatDuration, isoDay, meetingStateLabel, shortId, zonedTime,
} from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { HERE, M, currentSegment, isOrganizer, meetingOpen, rosterOrder, state, tz } from '/app/state.js';
import { startForm } from '/app/forms.js';

// The usual BNI agenda, as quick buttons of "Start a segment" (countdown in seconds, 0 for none);
// the title sent is the one in the organizer's language.
export const AGENDA = [
  { key: 'app.agenda.open_networking', seconds: 0 },
  { key: 'app.agenda.welcome', seconds: 0 },
  { key: 'app.agenda.presentations', seconds: 60 },
  { key: 'app.agenda.education', seconds: 300 },
  { key: 'app.agenda.feature', seconds: 600 },
  { key: 'app.agenda.referral_round', seconds: 0 },
  { key: 'app.agenda.visitors', seconds: 0 },
];

// What an organizer may record for a member (PALMS); "" is "no record yet".
export const ATTENDANCE_CHOICES = [
  ['ATTENDANCE_STATUS_PRESENT', 'app.attendance.present'],
  ['ATTENDANCE_STATUS_LATE', 'app.attendance.late'],
  ['ATTENDANCE_STATUS_MEDICAL', 'app.attendance.medical'],
  ['ATTENDANCE_STATUS_SUBSTITUTE', 'app.attendance.substitute'],
  ['ATTENDANCE_STATUS_ABSENT', 'app.attendance.absent'],
];

// The segments to offer, in order: the chapter's agenda (resources.proto's AgendaItem: a
// countdown of 0 is the segment's whole minutes), or the usual BNI agenda in the organizer's
// language when the chapter has none.
export function agendaSegments() {
  const agenda = (state.chapter && state.chapter.agenda) || [];
  if (agenda.length) {
    return agenda.map((a) => ({ title: a.title, seconds: a.countdownSeconds || (a.minutes || 0) * 60 }));
  }
  return AGENDA.map(({ key, seconds }) => ({ title: t(key), seconds }));
}

// The agenda's segment after the one running (by title, the last match), the first when none
// has started; null at the end of the agenda.
export function nextAgendaSegment() {
  const segments = agendaSegments();
  const current = currentSegment();
  if (!current) return segments[0] || null;
  const title = current.title.trim().toLowerCase();
  const at = segments.map((a) => a.title.trim().toLowerCase()).lastIndexOf(title);
  return at < 0 ? null : segments[at + 1] || null;
}

let quickShown = '';

function renderQuick() {
  const segments = agendaSegments();
  const key = JSON.stringify(segments);
  if (key === quickShown) return;
  quickShown = key;
  replaceChildren(byId('run-quick'), segments.map((a) => h('button', {
    type: 'button',
    class: 'quick-button',
    dataset: { title: a.title, seconds: a.seconds },
    attrs: { 'aria-pressed': 'false' },
    text: a.seconds ? `${a.title} · ${formatDuration(a.seconds)}` : a.title,
    on: { click: () => pickAgenda(a) },
  })));
  renderQuickPressed();
}

// One tap: the agenda's next segment starts.
function submitAgendaNext() {
  const next = nextAgendaSegment();
  if (!state.meeting || !next) return;
  runAction(M.startSegment, { name: state.meeting.name, title: next.title, countdownSeconds: next.seconds }, next.title);
}

// The run card's buttons and the segment form.
export function wireRun() {
  byId('segment-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitSegment();
  });
  renderQuick();
  byId('run-agenda-next').addEventListener('click', submitAgendaNext);
  byId('segment-title-input').addEventListener('input', renderQuickPressed);
  byId('run-schedule-button').addEventListener('click', submitSchedule);
  byId('run-open-button').addEventListener('click', () => runAction(M.openMeeting, { name: state.meeting.name }, t('app.run.open')));
  byId('run-next').addEventListener('click', submitNextSpeaker);
  byId('run-close-button').addEventListener('click', () => {
    const m = state.meeting;
    if (!m) return;
    const here = (m.attendance || []).filter((a) => HERE.has(a.status)).length;
    if (!window.confirm(t('app.run.close_confirm', { day: formatDay(parseTime(m.startTime), tz(), false), count: here }))) return;
    runAction(M.closeMeeting, { name: m.name }, t('app.run.close_label'));
  });
  byId('run-palms-button').addEventListener('click', () => {
    const m = state.meeting;
    if (!m) return;
    if (!window.confirm(t('app.run.palms_confirm', { day: formatDay(parseTime(m.startTime), tz(), false) }))) return;
    runAction(M.submitPalms, { name: m.name }, t('app.run.palms_label'));
  });
  byId('run-cancel-button').addEventListener('click', () => {
    const m = state.meeting;
    if (!m) return;
    // The prompt is the confirmation: its Cancel keeps the meeting.
    const reason = window.prompt(t('app.run.cancel_prompt', { day: formatDay(parseTime(m.startTime), tz(), false) }), '');
    if (reason === null) return;
    runAction(M.cancelMeeting, { name: m.name, reason: reason.trim().slice(0, CANCEL_REASON_MAX) }, t('app.run.cancel_label'));
  });
}

// CancelMeetingRequest.reason's limit, in characters.
const CANCEL_REASON_MAX = 60;

// The run card's line about the meeting: its day, its state, a cancellation's reason, PALMS.
export function runMeetingLine(m, zone) {
  const label = m.state === 'MEETING_STATE_SCHEDULED' ? t('app.run.scheduled_not_open') : meetingStateLabel(m.state);
  const extra = m.state === 'MEETING_STATE_CANCELLED' && m.cancelReason ? m.cancelReason
    : m.state === 'MEETING_STATE_CLOSED' && m.palmsSubmitTime ? t('app.run.palms_submitted') : '';
  return [formatDay(parseTime(m.startTime), zone), label, extra].filter(Boolean).join(' · ');
}

// A one-button action of the run card: one at a time, its answer shown at the top of the card.
export function runAction(method, request, label) {
  if (state.forms.run) return;
  showRunMessage({});
  const item = state.outbox.add({ method, request, label, form: 'run' });
  if (item.deferred) showRunMessage({ ok: t('app.queued.behind'), queued: true });
  else state.forms.run = item.id;
  renderRun();
}

export function showRunMessage({ ok, error, queued }) {
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

export function todayAt(hhmm) {
  return zonedTime(isoDay(Date.now() + state.serverOffset, tz()), hhmm, tz());
}

export function submitSchedule() {
  const millis = todayAt(byId('run-schedule-time').value);
  if (!Number.isFinite(millis)) {
    showRunMessage({ error: { code: 'INVALID_ARGUMENT', message: t('app.run.choose_time') } });
    return;
  }
  runAction(M.scheduleMeeting, { parent: state.chapterName, startTime: new Date(millis).toISOString() },
    t('app.run.schedule'));
}

export function pickAgenda(agenda) {
  byId('segment-title-input').value = agenda.title;
  byId('segment-seconds').value = String(agenda.seconds);
  byId('segment-ok').hidden = true;
  renderQuickPressed();
}

export function renderQuickPressed() {
  const title = byId('segment-title-input').value.trim().toLowerCase();
  for (const button of byId('run-quick').querySelectorAll('button')) {
    button.setAttribute('aria-pressed', button.dataset.title.toLowerCase() === title ? 'true' : 'false');
  }
}

export function submitSegment() {
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
    label: speaker
      ? t('app.label.segment_with', { title: title.trim() || t('app.label.segment'), name: state.roster.displayName(speaker) })
      : title.trim() || t('app.label.segment'),
  });
}

// The same segment again, with the speaker the server named as next.
export function submitNextSpeaker() {
  const current = currentSegment();
  if (!state.meeting || !current || !current.nextSpeaker) return;
  runAction(M.startSegment, {
    name: state.meeting.name,
    title: current.title,
    countdownSeconds: current.countdownSeconds || 0,
    speaker: current.nextSpeaker,
  }, t('app.label.segment_with', { title: current.title, name: state.roster.displayName(current.nextSpeaker) }));
}

export function submitAttendance(member, status, substituteName) {
  if (!state.meeting) return;
  state.attendanceErrors.delete(member);
  const request = { meeting: state.meeting.name, member, status };
  if (status === 'ATTENDANCE_STATUS_SUBSTITUTE') request.substituteName = substituteName;
  state.outbox.add({
    method: M.recordAttendance,
    request,
    label: `${state.roster.displayName(member)}: ${attendanceLabel(status) || status}`,
    form: `att:${member}`,
  });
  renderRun();
}

// The organizer's card: what the meeting needs next.
export function renderRun() {
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
    setText(byId('run-meeting'), runMeetingLine(m, zone));
  } else {
    setText(byId('run-meeting'), t('app.run.no_meeting'));
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
  setText(next, current && current.nextSpeaker ? t('app.run.next', { name: state.roster.displayName(current.nextSpeaker) }) : '');
  next.dataset.member = (current && current.nextSpeaker) || '';
  byId('run-next-none').hidden = !(current && current.speaker && !current.nextSpeaker);
  renderQuick();
  const agendaNext = live ? nextAgendaSegment() : null;
  const agendaButton = byId('run-agenda-next');
  agendaButton.hidden = !agendaNext;
  agendaButton.disabled = busy;
  // The next speaker comes first while a round of speakers runs; then the agenda goes on.
  agendaButton.classList.toggle('primary', !(current && current.nextSpeaker));
  agendaButton.classList.toggle('secondary', !!(current && current.nextSpeaker));
  setText(agendaButton, agendaNext ? t('app.run.agenda_next', { title: agendaNext.title }) : '');

  byId('run-close-button').hidden = !live;
  byId('run-close-button').disabled = busy;
  const palms = byId('run-palms-button');
  palms.hidden = !(m && m.state === 'MEETING_STATE_CLOSED' && !m.palmsSubmitTime);
  palms.disabled = busy;
  const cancel = byId('run-cancel-button');
  cancel.hidden = !(m && ['MEETING_STATE_SCHEDULED', 'MEETING_STATE_OPEN', 'MEETING_STATE_IN_PROGRESS'].includes(m.state));
  cancel.disabled = busy;
  if (live) renderSpeakerSelect();
  renderRunAttendance();
}

// Speakers in roster order, marked when they are not in the room.
export function renderSpeakerSelect() {
  const speaker = byId('segment-speaker');
  const value = speaker.value;
  const attendance = new Map(((state.meeting && state.meeting.attendance) || []).map((a) => [a.member, a.status]));
  replaceChildren(speaker, [speaker.options[0], ...rosterOrder().map((m) => h('option', {
    value: m.name,
    text: HERE.has(attendance.get(m.name)) ? m.displayName : t('app.run.speaker_not_here', { name: m.displayName }),
  }))]);
  speaker.value = value;
}

export function renderRunClock() {
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
  setText(clock, overrun ? t('app.run.over', { time: formatDuration(-left) }) : t('app.run.left', { time: formatDuration(Math.ceil(left)) }));
  clock.classList.toggle('overrun', overrun);
}

// One row per active member (and anyone with a record): their status, changed with a select;
// a substitute needs a name, sent with "Save".
export function renderRunAttendance() {
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
  setText(byId('run-attendance-count'), t('common.here_of', { count: here, total: state.roster.active().length }));
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

export function buildAttendanceRow(member) {
  const id = `att-${shortId(member.name)}`;
  const select = h('select', { id: `${id}-status`, attrs: { 'aria-label': t('app.run.attendance_of', { name: member.displayName }) } },
    h('option', { value: '', text: t('app.run.not_checked_in') }),
    ATTENDANCE_CHOICES.map(([value, key]) => h('option', { value, text: t(key) })));
  const input = h('input', {
    id: `${id}-substitute`,
    attrs: { autocomplete: 'off', maxlength: '100', placeholder: t('app.run.substitute_name'), 'aria-label': t('app.run.substitute_for', { name: member.displayName }), 'aria-describedby': `${id}-error` },
  });
  const save = h('button', { type: 'button', class: 'secondary', text: t('common.save') });
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
