// Rendering the rest of the page: who I am, the meeting card, visitors, my score, what waits in
// the outbox, what the server refused, and toasts.

import { saveJson } from '/shared/api.js';
import { parseTime } from '/shared/events.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import {
  attendanceLabel, bandLabel, formatClock, formatDay, initials, windowLabel, windowSpanLabel,
} from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { M, REJECTED_KEY, isOrganizer, meetingOpen, state, tz } from '/app/state.js';
import { editRejected, renderMemberSelects } from '/app/forms.js';
import { renderRun } from '/app/run.js';
import { renderReports } from '/app/reports.js';
import { renderSubstitutes } from '/app/substitutes.js';
import { renderRoster } from '/app/roster.js';
import { renderPipeline } from '/app/visitors.js';

export const ROLE_KEYS = {
  ROLE_PRESIDENT: 'app.role.president',
  ROLE_VICE_PRESIDENT: 'app.role.vice_president',
  ROLE_SECRETARY_TREASURER: 'app.role.secretary_treasurer',
  ROLE_VISITOR_HOST: 'app.role.visitor_host',
  ROLE_EDUCATION_COORDINATOR: 'app.role.education_coordinator',
  ROLE_ORGANIZER: 'app.role.organizer',
};

export function renderAll() {
  const me = state.roster.get(state.memberName) || {};
  const chapterTitle = state.chapter ? state.chapter.displayName : '';
  setText(byId('bar-chapter'), chapterTitle || 'Reciproca');
  document.title = chapterTitle ? `${chapterTitle} · Reciproca` : 'Reciproca';
  setText(byId('me-avatar'), initials(me.displayName));
  setText(byId('me-name'), me.displayName || state.roster.displayName(state.memberName));
  setText(byId('me-business'), [me.business, me.category].filter(Boolean).join(' · '));
  const role = ROLE_KEYS[me.role] ? t(ROLE_KEYS[me.role]) : '';
  setText(byId('me-role'), role || '');
  byId('me-role').hidden = !role;
  // A name as people read it, never a resource name ("chapters/x/members/3").
  setText(byId('foot-who'), t('app.foot.signed_in', { name: me.displayName || state.roster.displayName(state.memberName) }));
  setText(byId('thanks-currency'), (state.chapter && state.chapter.currency) || '');
  renderMemberSelects();
  renderMeeting();
  renderRoster();
  renderSubstitutes();
  renderReports();
  renderPipeline();
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
    setText(title, t('app.meeting.title'));
    setText(when, t('app.meeting.none'));
    setText(status, '');
    mine.hidden = true;
    button.hidden = true;
    return;
  }
  const start = parseTime(m.startTime);
  const past = m.state === 'MEETING_STATE_CLOSED' || (m.state === 'MEETING_STATE_CANCELLED' && start < Date.now() + state.serverOffset);
  setText(title, t(m.state === 'MEETING_STATE_SCHEDULED' || m.state === 'MEETING_STATE_CANCELLED' && !past ? 'app.meeting.next'
    : past ? 'app.meeting.last' : 'app.meeting.today'));
  setText(when, formatDay(start, zone));
  const segments = m.segments || [];
  const current = segments.length ? segments[segments.length - 1] : null;
  const texts = {
    MEETING_STATE_SCHEDULED: t('app.meeting.scheduled'),
    MEETING_STATE_OPEN: t('app.meeting.open'),
    MEETING_STATE_IN_PROGRESS: current ? t('app.meeting.in_progress_segment', { title: current.title }) : t('app.meeting.in_progress'),
    MEETING_STATE_CLOSED: m.palmsSubmitTime ? t('app.meeting.palms_submitted') : t('app.meeting.closed'),
    MEETING_STATE_CANCELLED: m.cancelReason ? t('app.meeting.cancelled_reason', { reason: m.cancelReason })
      : t('app.meeting.cancelled'),
  };
  setText(status, texts[m.state] || '');
  status.dataset.state = m.state || '';
  const record = (m.attendance || []).find((a) => a.member === state.memberName);
  const pending = state.outbox && state.outbox.items.find((i) => i.method === M.checkIn && i.request.meeting === m.name);
  if (record) {
    const label = attendanceLabel(record.status);
    const at = formatClock(parseTime(record.recordTime), zone);
    setText(mine, record.status === 'ATTENDANCE_STATUS_ABSENT' ? t('app.meeting.marked_absent')
      : at ? t('app.meeting.checked_in_at', { status: label, time: at }) : t('app.meeting.checked_in', { status: label }));
    mine.dataset.status = record.status;
    mine.hidden = false;
  } else if (pending && pending.deferred) {
    setText(mine, t('app.meeting.check_in_queued'));
    mine.dataset.status = 'pending';
    mine.hidden = false;
  } else {
    mine.hidden = true;
  }
  const canCheckIn = meetingOpen() && (!record || record.status === 'ATTENDANCE_STATUS_ABSENT');
  button.hidden = !canCheckIn;
  button.disabled = !!pending;
  setText(button, t(pending ? 'app.meeting.checking_in' : start && Date.now() > start ? 'app.meeting.check_in_late' : 'app.meeting.check_in'));
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
  setText(byId('visitor-count'), visitors.length ? t('app.visitor.today', { count: visitors.length }) : '');
  replaceChildren(byId('visitor-list'), visitors.map((v) => h('li', { class: 'visitor', dataset: { name: v.name } },
    h('span', { class: 'visitor-name', text: v.displayName }),
    h('span', { class: 'visitor-meta', text: [v.business, v.invitedBy ? t('common.guest_of', { name: state.roster.displayName(v.invitedBy) }) : ''].filter(Boolean).join(' · ') }))));
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
    text: windowLabel(w),
    on: { click: () => { state.scoreWindow = w; renderScore(); } },
  })) : []);
  const band = score.band || 'grey';
  byId('score-band').className = `band-dot band-${band}`;
  setText(byId('score-points'), score.maxPoints ? `${score.points} / ${score.maxPoints}` : String(score.points || 0));
  setText(byId('score-band-name'), bandLabel(band));
  // Why the band is what it is, from the plugin, in the chapter's language ("Provisional: 1 of 6
  // meetings so far.").
  setText(byId('score-band-note'), score.bandNote || '');
  byId('score-band-note').hidden = !score.bandNote;
  setText(byId('score-window-text'), state.scoreWindow ? `· ${windowSpanLabel(state.scoreWindow)}` : '');
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
    if (item.state === 'sending') detail = t('app.pending.sending');
    else if (item.attempts === 0) detail = t('app.pending.waiting');
    else {
      const wait = Math.max(0, Math.ceil((item.nextAt - now) / 1000));
      detail = [item.lastError || t('app.pending.no_answer'), t('app.pending.tries', { count: item.attempts }),
        wait > 0 ? t('app.pending.next_in', { seconds: wait }) : t('app.pending.next_now')].join(' · ');
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
        ? h('button', { type: 'button', class: 'secondary', text: t('app.rejected.fix'), on: { click: () => editRejected(entry) } }) : null,
      h('button', {
        type: 'button',
        class: 'link',
        text: t('app.rejected.dismiss'),
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
