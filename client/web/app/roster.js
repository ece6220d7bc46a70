// The organizers' roster (issue 12): the chapter's members with their business contact, adding,
// editing and removing one, each member's invite link with its QR code, and the room display's
// link. Organizers only (the card is hidden for the others, and the server refuses them anyway).
// These are direct calls, not the outbox: they need the server's answer (a token, a refusal such
// as a category already held) while the organizer is looking at the form.

import { call, newRequestId } from '/shared/api.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { t } from '/shared/i18n.js';
import qrcode from '/shared/vendor/qrcode.js';
import { clearFormErrors, showFormError } from '/app/forms.js';
import { M, isOrganizer, state } from '/app/state.js';
import { renderAgendaEditor } from '/app/agenda.js';
import { saveChapter } from '/app/chapter_form.js';
import { renderRotationEditor } from '/app/rotation.js';

// The roles an organizer may give, in the order of the select; ROLE_KEYS' labels.
const ROLES = ['ROLE_MEMBER', 'ROLE_PRESIDENT', 'ROLE_VICE_PRESIDENT', 'ROLE_SECRETARY_TREASURER',
  'ROLE_VISITOR_HOST', 'ROLE_EDUCATION_COORDINATOR', 'ROLE_ORGANIZER'];
// The member form's inputs: element id -> Member field (camelCase JSON, snake_case mask path).
const FIELDS = [
  ['member-name', 'displayName', 'display_name'],
  ['member-business', 'business', 'business'],
  ['member-category', 'category', 'category'],
  ['member-role', 'role', 'role'],
  ['member-email', 'email', 'email'],
  ['member-phone', 'phone', 'phone'],
];

let editing = ''; // the member being edited ("" while adding one)
let busy = false;

export function wireRoster(roleKeys) {
  replaceChildren(byId('member-role'), ROLES.map((role) => h('option', {
    value: role,
    text: role === 'ROLE_MEMBER' ? t('app.roster.role_member') : t(roleKeys[role]),
  })));
  byId('member-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saveMember();
  });
  byId('member-new').addEventListener('click', () => editMember(null));
  byId('invite-close').addEventListener('click', () => { byId('invite').hidden = true; });
  byId('display-link-button').addEventListener('click', showDisplayLink);
  const lang = document.documentElement.lang || 'en';
  const languageNames = new Intl.DisplayNames([lang], { type: 'language' });
  replaceChildren(byId('settings-language'), LANGUAGES.map((code) => h('option', { value: code, text: languageNames.of(code) })));
  // 2024-01-01 was a Monday: the weekday names in the page's language.
  const weekday = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' });
  replaceChildren(byId('settings-weekday'), WEEKDAYS.map((value, i) => h('option', {
    value, text: weekday.format(Date.UTC(2024, 0, 1 + i)),
  })));
  byId('settings-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saveSettings();
  });
}

const LANGUAGES = ['en', 'it', 'es'];
const WEEKDAYS = ['WEEKDAY_MONDAY', 'WEEKDAY_TUESDAY', 'WEEKDAY_WEDNESDAY', 'WEEKDAY_THURSDAY', 'WEEKDAY_FRIDAY',
  'WEEKDAY_SATURDAY', 'WEEKDAY_SUNDAY'];
// The settings form: element id -> Chapter field (camelCase JSON, snake_case mask path).
const SETTINGS = [
  ['settings-name', 'displayName', 'display_name'],
  ['settings-language', 'language', 'language'],
  ['settings-time-zone', 'timeZone', 'time_zone'],
  ['settings-weekday', 'meetingWeekday', 'meeting_weekday'],
  ['settings-time', 'meetingTime', 'meeting_time'],
];

function renderSettings() {
  const c = state.chapter;
  if (!c || byId('settings-form').contains(document.activeElement)) return;
  for (const [id, key] of SETTINGS) byId(id).value = c[key] || '';
  byId('settings-amounts').checked = !!c.displayAmounts;
}

async function saveSettings() {
  const c = state.chapter;
  if (!c || busy) return;
  busy = true;
  const chapter = { displayAmounts: byId('settings-amounts').checked };
  const paths = (c.displayAmounts || false) !== chapter.displayAmounts ? ['display_amounts'] : [];
  for (const [id, key, path] of SETTINGS) {
    chapter[key] = byId(id).value.trim();
    if (chapter[key] !== (c[key] || '')) paths.push(path);
  }
  const saved = await saveChapter('settings', chapter, paths.join(','), 'app.settings.saved');
  busy = false;
  if (saved) renderSettings();
}

export function renderRoster() {
  const organizer = isOrganizer();
  byId('roster-card').hidden = !organizer;
  byId('jump-roster').hidden = !organizer;
  if (!organizer) return;
  renderSettings();
  renderAgendaEditor();
  renderRotationEditor();
  const members = state.roster.active();
  setText(byId('roster-count'), String(members.length));
  replaceChildren(byId('roster-list'), members.map((m) => h('li', { class: 'roster-row', dataset: { member: m.name } },
    h('div', { class: 'roster-who' },
      h('span', { class: 'roster-name', text: m.displayName }),
      h('span', { class: 'roster-business', text: [m.business, m.category].filter(Boolean).join(' · ') }),
      h('span', { class: 'roster-contact', text: [m.email, m.phone].filter(Boolean).join(' · ') })),
    h('div', { class: 'roster-actions' },
      h('button', { type: 'button', class: 'secondary small', text: t('app.roster.invite'), on: { click: () => showInvite(m) } }),
      h('button', { type: 'button', class: 'secondary small', text: t('app.roster.edit'), on: { click: () => editMember(m) } }),
      h('button', { type: 'button', class: 'secondary small danger', text: t('app.roster.remove'), on: { click: () => removeMember(m) } })))));
}

function editMember(member) {
  editing = member ? member.name : '';
  clearFormErrors('member');
  byId('member-ok').hidden = true;
  for (const [id, key] of FIELDS) byId(id).value = member ? (member[key] || (key === 'role' ? 'ROLE_MEMBER' : '')) : '';
  if (!member) byId('member-role').value = 'ROLE_MEMBER';
  setText(byId('member-form-title'), member ? t('app.roster.editing', { name: member.displayName }) : t('app.roster.add'));
  byId('member-new').hidden = !member;
  byId('member-form').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  byId('member-name').focus();
}

async function saveMember() {
  if (busy) return;
  busy = true;
  clearFormErrors('member');
  byId('member-ok').hidden = true;
  byId('member-submit').disabled = true;
  const member = {};
  for (const [id, key] of FIELDS) member[key] = byId(id).value.trim();
  const before = editing ? state.roster.get(editing) : null;
  const result = before
    ? await call(M.updateMember, {
      member: { ...member, name: editing },
      // Only what changed: an unchanged category is not checked again.
      updateMask: FIELDS.filter(([, key]) => (before[key] || (key === 'role' ? 'ROLE_MEMBER' : '')) !== member[key])
        .map(([, , path]) => path).join(','),
      requestId: newRequestId(),
    }, { token: state.token })
    : await call(M.createMember, { parent: state.chapterName, member, requestId: newRequestId() }, { token: state.token });
  busy = false;
  byId('member-submit').disabled = false;
  if (!result.ok) {
    showFormError('member', result);
    return;
  }
  const saved = before ? result.body : result.body.member;
  state.roster.upsert(saved);
  renderRoster();
  setText(byId('member-ok'), t(before ? 'app.roster.saved' : 'app.roster.added', { name: saved.displayName }));
  byId('member-ok').hidden = false;
  if (!before) {
    for (const [id] of FIELDS) byId(id).value = '';
    byId('member-role').value = 'ROLE_MEMBER';
    showQr(saved, inviteUrl(result.body.accessToken));
  } else {
    editMember(null);
    byId('member-ok').hidden = false;
  }
}

async function removeMember(member) {
  if (!window.confirm(t('app.roster.remove_confirm', { name: member.displayName }))) return;
  const result = await call(M.removeMember, { name: member.name, requestId: newRequestId() }, { token: state.token });
  if (!result.ok) {
    showFormError('member', result);
    return;
  }
  state.roster.upsert(result.body);
  if (editing === member.name) editMember(null);
  renderRoster();
  setText(byId('member-ok'), t('app.roster.removed', { name: member.displayName }));
  byId('member-ok').hidden = false;
}

// The link that signs the member in on their phone (the token in the fragment, never sent to the
// server), as `reciproca member invite-link` prints it.
function inviteUrl(token) {
  return `${window.location.origin}/app/#token=${encodeURIComponent(token)}`;
}

async function showInvite(member) {
  const result = await call(M.getMemberToken, { name: member.name }, { token: state.token });
  if (!result.ok) {
    showFormError('member', result);
    return;
  }
  showQr(member, inviteUrl(result.body.accessToken));
}

async function showDisplayLink() {
  const result = await call(M.getDisplayToken, { name: state.chapterName }, { token: state.token });
  if (!result.ok) {
    showFormError('member', result);
    return;
  }
  const url = `${window.location.origin}/display/#chapter=${encodeURIComponent(state.chapterName)}` +
    `&token=${encodeURIComponent(result.body.displayToken)}`;
  const link = byId('display-link');
  link.href = url;
  setText(link, url);
  link.hidden = false;
}

function showQr(member, url) {
  setText(byId('invite-title'), t('app.roster.invite_title', { name: member.displayName }));
  replaceChildren(byId('invite-qr'), qrSvg(url));
  const link = byId('invite-link');
  link.href = url;
  setText(link, url);
  byId('invite').dataset.member = member.name;
  byId('invite').hidden = false;
  byId('invite').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

// The QR code of `text` (qrcode-generator, error correction M, type chosen by the length) drawn
// as one SVG path, with the 4-module quiet zone ISO/IEC 18004 asks for.
export function qrSvg(text) {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  const quiet = 4;
  let d = '';
  for (let y = 0; y < count; y += 1) {
    for (let x = 0; x < count; x += 1) {
      if (code.isDark(y, x)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    }
  }
  const size = count + 2 * quiet;
  const svg = h('svg:svg', { attrs: {
    viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-label': t('app.roster.qr_label'), 'shape-rendering': 'crispEdges',
  } },
  h('svg:rect', { attrs: { width: size, height: size, fill: '#fff' } }),
  h('svg:path', { attrs: { d, fill: '#000' } }));
  return svg;
}
