// The outbox's answers: a submission recorded, refused, or waiting for a connection, shown
// where it was made (its form, the run card, an attendance row, or a toast).

import { saveJson } from '/shared/api.js';
import { byId, setText } from '/shared/dom.js';
import { t } from '/shared/i18n.js';
import { M, REJECTED_KEY, saveCache, state } from '/app/state.js';
import { refreshInboxSoon } from '/app/live.js';
import { FORMS, finishForm } from '/app/forms.js';
import { renderRun, showRunMessage } from '/app/run.js';
import { renderInbox } from '/app/inbox.js';
import { renderMeeting, renderRejected, renderVisitors, toast } from '/app/render.js';

export const SENT_MESSAGES = {
  [M.giveReferral]: (item) => t('app.sent.recorded', { label: item.label }),
  [M.thankYou]: (item) => t('app.sent.recorded', { label: item.label }),
  [M.oneToOne]: (item) => t('app.sent.recorded', { label: item.label }),
  [M.checkIn]: () => t('app.sent.checked_in'),
  [M.updateStatus]: (item) => t('app.sent.done', { label: item.label }),
  [M.registerVisitor]: (item) => t('app.sent.registered', { label: item.label }),
  [M.startSegment]: (item) => t('app.sent.started', { label: item.label }),
};

export const MEETING_METHODS = new Set([M.scheduleMeeting, M.openMeeting, M.startSegment, M.closeMeeting,
  M.cancelMeeting, M.submitPalms]);

// A Meeting the server answered with: the phone shows it at once (the event follows).
export function takeMeeting(body) {
  if (!body || !body.name) return;
  const i = state.meetings.findIndex((m) => m.name === body.name);
  if (i >= 0) state.meetings[i] = body;
  else state.meetings.unshift(body);
  if (!state.meeting || state.meeting.name === body.name || body.state !== 'MEETING_STATE_CLOSED') state.meeting = body;
  renderMeeting();
  saveCache();
}

export function onSent(item, body) {
  const message = (SENT_MESSAGES[item.method] || ((i) => t('app.sent.done', { label: i.label })))(item);
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

export function onRejected(item, result) {
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
    toast(t('app.rejected.toast', { label: item.label, message: result.message }), 'bad');
  }
  if (item.method === M.updateStatus || item.method === M.checkIn) {
    renderInbox();
    renderMeeting();
  }
}

// The first attempt got no answer: the form is free again, the submission waits in Pending.
export function onDeferred(item) {
  if (item.form === 'run' && state.forms.run === item.id) {
    delete state.forms.run;
    showRunMessage({ ok: t('app.queued.offline'), queued: true });
  }
  if (FORMS[item.form] && state.forms[item.form] === item.id) {
    delete state.forms[item.form];
    finishForm(item.form, { ok: t('app.queued.offline'), queued: true });
  }
  renderInbox();
  renderMeeting();
}
