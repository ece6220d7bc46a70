// Substitutes registered ahead (issue 12 item 2): a member away on a meeting day names who comes
// in their place (organizers: for any member); closing that day's meeting records the member as
// SUBSTITUTE with that name instead of absent. The list is the chapter's expected_substitutes
// (a member sees their own, organizers everyone's), kept current by the event stream.
// Direct calls, not the outbox: a refusal (a day already past, its meeting closed) is shown at
// once on the form.

import { call, newRequestId } from '/shared/api.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { formatDay, isoDay } from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { FORMS, clearFormErrors, showFormError } from '/app/forms.js';
import { M, isOrganizer, state, tz } from '/app/state.js';

let busy = false;

export function wireSubstitutes() {
  byId('substitute-form').addEventListener('submit', (e) => {
    e.preventDefault();
    register(byId('substitute-member').value, byId('substitute-date').value, byId('substitute-name').value);
  });
}

async function register(member, date, substituteName) {
  if (busy) return;
  busy = true;
  clearFormErrors('substitute');
  byId(FORMS.substitute.ok).hidden = true;
  const result = await call(M.registerSubstitute, {
    parent: state.chapterName, date, member, substituteName, requestId: newRequestId(),
  }, { token: state.token });
  busy = false;
  if (!result.ok) {
    showFormError('substitute', result);
    return;
  }
  state.chapter = result.body;
  setText(byId(FORMS.substitute.ok), substituteName ? t('app.substitute.registered') : t('app.substitute.withdrawn'));
  byId(FORMS.substitute.ok).hidden = false;
  if (substituteName) byId('substitute-name').value = '';
  renderSubstitutes();
}

// The event stream's SubstituteRegistered, applied as the server does (the same member and day
// replaced, days before the event's day dropped) and MeetingClosed, whose day drops out.
export function applySubstituteEvent(event) {
  const chapter = state.chapter;
  if (!chapter) return false;
  let list = chapter.expectedSubstitutes || [];
  if (event.substituteRegistered) {
    const { substitute = {}, today = '' } = event.substituteRegistered;
    list = list.filter((e) => e.date >= today && !(e.date === substitute.date && e.member === substitute.member));
    if (substitute.substituteName) {
      list = [...list, substitute].sort((a, b) => (a.date + a.member).localeCompare(b.date + b.member));
    }
  } else if (event.meetingClosed && event.meetingClosed.substitutesDay) {
    list = list.filter((e) => e.date !== event.meetingClosed.substitutesDay);
  } else {
    return false;
  }
  state.chapter = { ...chapter, expectedSubstitutes: list };
  return true;
}

export function renderSubstitutes() {
  if (!state.chapter) return;
  const organizer = isOrganizer();
  const me = state.memberName;
  const memberSelect = byId('substitute-member');
  byId('substitute-member-field').hidden = !organizer;
  if (organizer && !byId('substitute-form').contains(document.activeElement)) {
    const chosen = memberSelect.value || me;
    replaceChildren(memberSelect, state.roster.active().map((m) => h('option', {
      value: m.name, text: m.displayName, selected: m.name === chosen,
    })));
  }
  const dateInput = byId('substitute-date');
  dateInput.min = isoDay(Date.now(), tz());
  const mine = (state.chapter.expectedSubstitutes || []).filter((e) => organizer || e.member === me);
  byId('substitutes-empty').hidden = mine.length > 0;
  replaceChildren(byId('substitutes-list'), mine.map((e) => h('li', { class: 'substitute-row', dataset: { member: e.member, date: e.date } },
    h('span', { class: 'substitute-text', text: t('app.substitute.entry', {
      day: formatDay(Date.parse(`${e.date}T12:00:00Z`), 'UTC', false),
      member: state.roster.displayName(e.member),
      substitute: e.substituteName,
    }) }),
    h('button', { type: 'button', class: 'secondary small', text: t('app.substitute.withdraw'),
      on: { click: () => register(e.member, e.date, '') } }))));
}
