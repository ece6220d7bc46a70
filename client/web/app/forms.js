// The member's forms (pass a referral, say thank you, log a one-to-one, register a visitor,
// check in): read, sent through the outbox, and their answer shown under the form.

import { saveJson } from '/shared/api.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { formatNumber, isoDay, temperatureName } from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { reasonMessage } from '/shared/reasons.js';
import { checkReferral, checkThankYou, checkVisitor } from '/app/checks.js';
import { M, REJECTED_KEY, isOrganizer, meetingOpen, state, tz } from '/app/state.js';
import { renderQuickPressed } from '/app/run.js';
import { renderMeeting, renderRejected } from '/app/render.js';

export const FORMS = {
  refer: { form: 'refer-form', error: 'refer-error', ok: 'refer-ok', submit: 'refer-submit', label: 'app.refer.submit' },
  thanks: { form: 'thanks-form', error: 'thanks-error', ok: 'thanks-ok', submit: 'thanks-submit', label: 'app.thanks.submit' },
  oneToOne: { form: 'one-to-one-form', error: 'one-to-one-error', ok: 'one-to-one-ok', submit: 'one-to-one-submit', label: 'app.one_to_one.submit' },
  visitor: { form: 'visitor-form', error: 'visitor-error', ok: 'visitor-ok', submit: 'visitor-submit', label: 'app.visitor.submit' },
  segment: { form: 'segment-form', error: 'segment-error', ok: 'segment-ok', submit: 'segment-submit', label: 'app.segment.submit' },
  settings: { form: 'settings-form', error: 'settings-error', ok: 'settings-ok', submit: 'settings-submit', label: 'app.settings.save' },
  agenda: { form: 'agenda-form', error: 'agenda-error', ok: 'agenda-ok', submit: 'agenda-submit', label: 'app.agenda_editor.save' },
  rotation: { form: 'rotation-form', error: 'rotation-error', ok: 'rotation-ok', submit: 'rotation-submit', label: 'app.rotation.save' },
  substitute: { form: 'substitute-form', error: 'substitute-error', ok: 'substitute-ok', submit: 'substitute-submit', label: 'app.substitute.submit' },
  reports: { form: 'reports-form', error: 'reports-error', ok: 'reports-ok', submit: 'reports-submit', label: 'app.reports.show' },
  member: { form: 'member-form', error: 'member-error', ok: 'member-ok', submit: 'member-submit', label: 'app.roster.save' },
  inviteVisitor: { form: 'invite-visitor-form', error: 'invite-visitor-error', ok: 'invite-visitor-ok', submit: 'invite-visitor-submit', label: 'app.invite_visitor.submit' },
};

export function wireForms() {
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
  for (const key of Object.keys(FORMS)) {
    byId(FORMS[key].form).addEventListener('input', (e) => {
      if (e.target.getAttribute('aria-invalid')) e.target.removeAttribute('aria-invalid');
      byId(FORMS[key].ok).hidden = true;
    });
  }
  renderReferKind();
  renderTemperatureLabel();
  byId('one-to-one-date').value = isoDay(Date.now());
  byId('thanks-amount').placeholder = formatNumber(12500, { minimumFractionDigits: 2 });
}

export function radioValue(form, name) {
  const checked = byId(form).querySelector(`input[name="${name}"]:checked`);
  return checked ? checked.value : '';
}

export function startForm(key, spec) {
  const f = FORMS[key];
  clearFormErrors(key);
  byId(f.ok).hidden = true;
  const button = byId(f.submit);
  button.disabled = true;
  setText(button, t('app.form.sending'));
  const item = state.outbox.add({ ...spec, form: key });
  if (item.deferred) {
    finishForm(key, { ok: t('app.queued.behind'), queued: true });
  } else {
    state.forms[key] = item.id;
  }
}

export function finishForm(key, { ok, error, queued }) {
  const f = FORMS[key];
  const button = byId(f.submit);
  button.disabled = false;
  setText(button, t(f.label));
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

export function clearFormErrors(key) {
  const f = FORMS[key];
  byId(f.error).hidden = true;
  setText(byId(f.error), '');
  for (const field of byId(f.form).querySelectorAll('[aria-invalid]')) {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }
}

// Shows the server's message under the form, in the page's language, and marks the field the
// error names (its google.rpc.BadRequest field, or the English message's "referral.receiver: ...").
export function showFormError(key, result) {
  const f = FORMS[key];
  const errorElement = byId(f.error);
  setText(errorElement, result.message || result.code);
  errorElement.dataset.code = result.code;
  errorElement.hidden = false;
  // "referral.temperature: ...", "chapter.agenda[4].minutes: ...": the field the server names.
  const named = /^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*):/.exec(result.developerMessage || result.message || '');
  const match = result.field ? [result.field, result.field] : named;
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

// Refuses a form on the phone (checks.js): the server's message for the reason, next to the
// field, exactly as if the server had answered; nothing is queued.
async function refuseHere(key, { reason, params, field }) {
  clearFormErrors(key);
  byId(FORMS[key].ok).hidden = true;
  const message = await reasonMessage(reason, params, reason);
  showFormError(key, { code: 'INVALID_ARGUMENT', reason, field, message });
}

export function resetForm(key) {
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

export function submitReferral() {
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
  const problem = checkReferral(referral, state.memberName);
  if (problem) return refuseHere('refer', problem);
  return startForm('refer', {
    method: M.giveReferral,
    request: { parent: state.chapterName, referral },
    label: receiver ? t('app.label.referral_to', { name: state.roster.displayName(receiver) }) : t('app.label.referral_to_nobody'),
  });
}

// "1.250,50" and "1,250.50" and "1250,5" -> "1250.50"-style text the server checks.
export function normalizeAmount(text) {
  let amount = String(text || '').trim().replace(/[\s'’]/g, '').replace(/^[^\d.,-]+|[^\d.,]+$/g, '');
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(amount)) amount = amount.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(amount)) amount = amount.replace(/,/g, '');
  else if (/^\d+,\d{1,2}$/.test(amount)) amount = amount.replace(',', '.');
  return amount;
}

export function submitThanks() {
  const toMember = byId('thanks-to').value;
  const thankYou = {
    toMember,
    amount: { currency: (state.chapter && state.chapter.currency) || 'EUR', amount: normalizeAmount(byId('thanks-amount').value) },
    businessType: radioValue('thanks-form', 'businessType'),
    note: byId('thanks-note').value,
  };
  const referral = byId('thanks-referral').value;
  if (referral) thankYou.referral = referral;
  const problem = checkThankYou(thankYou);
  if (problem) return refuseHere('thanks', problem);
  return startForm('thanks', {
    method: M.thankYou,
    request: { parent: state.chapterName, thankYou },
    label: toMember ? t('app.label.thanks_to', { name: state.roster.displayName(toMember) }) : t('app.label.thanks_to_nobody'),
  });
}

export function submitOneToOne() {
  const withMember = byId('one-to-one-with').value;
  startForm('oneToOne', {
    method: M.oneToOne,
    request: {
      parent: state.chapterName,
      oneToOne: { withMember, date: byId('one-to-one-date').value, note: byId('one-to-one-note').value },
    },
    label: withMember ? t('app.label.one_to_one', { name: state.roster.displayName(withMember) }) : t('app.label.one_to_one_nobody'),
  });
}

export function submitVisitor() {
  if (!state.meeting) return;
  const visitor = {
    displayName: byId('visitor-name').value,
    business: byId('visitor-business').value,
    email: byId('visitor-email').value,
    phone: byId('visitor-phone').value,
  };
  const invitedBy = isOrganizer() ? byId('visitor-invited-by').value : '';
  if (invitedBy && invitedBy !== state.memberName) visitor.invitedBy = invitedBy;
  const problem = checkVisitor(visitor);
  if (problem) return refuseHere('visitor', problem);
  return startForm('visitor', {
    method: M.registerVisitor,
    request: { meeting: state.meeting.name, visitor },
    label: visitor.displayName.trim() ? t('app.label.visitor', { name: visitor.displayName.trim() }) : t('app.label.visitor_no_name'),
  });
}

export function submitCheckIn() {
  if (!state.meeting) return;
  byId('checkin-error').hidden = true;
  state.outbox.add({
    method: M.checkIn,
    request: { meeting: state.meeting.name },
    label: t('app.label.check_in'),
    form: 'checkin',
  });
  renderMeeting();
}

// Fills a form again from a refused submission, so it can be fixed and sent.
export function editRejected(entry) {
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
    const thanks = q.thankYou;
    byId('thanks-referral').value = thanks.referral || '';
    byId('thanks-to').value = thanks.toMember || '';
    byId('thanks-amount').value = (thanks.amount && thanks.amount.amount) || '';
    byId('thanks-note').value = thanks.note || '';
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

export function renderMemberSelects() {
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
      children.push(h('optgroup', { attrs: { label: t('app.member.yourself') } },
        h('option', { value: mine.name, text: t('app.member.you', { name: mine.displayName }) })));
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
    value: m.name, text: m.name === me ? t('app.member.you', { name: m.displayName }) : m.displayName,
  })));
  invitedBy.value = invitedValue;
}

export function renderReferKind() {
  const inside = radioValue('refer-form', 'kind') === 'REFERRAL_KIND_INSIDE';
  byId('refer-contact').hidden = inside;
}

export function renderTemperatureLabel() {
  const temperature = Number(radioValue('refer-form', 'temperature') || 0);
  setText(byId('refer-temp-label'), temperature ? `· ${temperatureName(temperature)}` : '');
}
