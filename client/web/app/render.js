// Rendering the rest of the page: who I am, the meeting card, visitors, my score, what waits in
// the outbox, what the server refused, and toasts.

import { saveJson } from '/shared/api.js';
import { parseTime } from '/shared/events.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { ATTENDANCE_LABELS, formatClock, formatDay, initials } from '/shared/format.js';
import { M, REJECTED_KEY, isOrganizer, meetingOpen, state, tz } from '/app/state.js';
import { editRejected, renderMemberSelects } from '/app/forms.js';
import { renderRun } from '/app/run.js';

export const ROLE_LABELS = {
  ROLE_PRESIDENT: 'President',
  ROLE_VICE_PRESIDENT: 'Vice-president',
  ROLE_SECRETARY_TREASURER: 'Secretary-treasurer',
  ROLE_VISITOR_HOST: 'Visitor host',
  ROLE_EDUCATION_COORDINATOR: 'Education coordinator',
  ROLE_ORGANIZER: 'Organizer',
};

export const WINDOW_LABELS = { '30d': '30 days', '6m': '6 months', '90d': '90 days', '12m': '12 months', all: 'all time' };

export function renderAll() {
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

export function renderMeeting() {
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

export function renderVisitors() {
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

export function renderScore() {
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

export function renderPending(items) {
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

export function renderRejected() {
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

export function toast(text, kind = '') {
  const box = byId('toasts');
  const item = h('div', { class: ['toast', kind], text });
  box.appendChild(item);
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => item.remove(), 5000);
}
