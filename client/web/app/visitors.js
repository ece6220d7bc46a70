// The visitors' pipeline (issue 12 item 3; docs/organizers.md, "Visitors"): every member invites
// a visitor ahead from this page (for the chapter's next meeting on or after a day); organizers
// (the visitor host among them) see the list with each visitor's state and move them on with
// the buttons of the moves the server allows now (Visitor.next_states: the one home of the
// pipeline's rules). Contact data comes only to those allowed to see it (the server redacts).
// Direct calls, not the outbox: the organizer wants the answer (a move refused, a category held).

import { call, newRequestId } from '/shared/api.js';
import { byId, debounce, h, replaceChildren, setText } from '/shared/dom.js';
import { formatDay, isoDay } from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { clearFormErrors, resetForm, showFormError } from '/app/forms.js';
import { M, isOrganizer, state } from '/app/state.js';

// VisitorState -> its label's key (also the badge's class: "state-followed-up").
const STATES = {
  VISITOR_STATE_INVITED: 'app.pipeline.state_invited',
  VISITOR_STATE_ATTENDED: 'app.pipeline.state_attended',
  VISITOR_STATE_FOLLOWED_UP: 'app.pipeline.state_followed_up',
  VISITOR_STATE_APPLIED: 'app.pipeline.state_applied',
  VISITOR_STATE_JOINED: 'app.pipeline.state_joined',
  VISITOR_STATE_DECLINED: 'app.pipeline.state_declined',
};
// A move's button label.
const MOVES = {
  VISITOR_STATE_FOLLOWED_UP: 'app.pipeline.move_followed_up',
  VISITOR_STATE_APPLIED: 'app.pipeline.move_applied',
  VISITOR_STATE_JOINED: 'app.pipeline.move_joined',
  VISITOR_STATE_DECLINED: 'app.pipeline.move_declined',
};

let visitors = null; // the list as last loaded (null: not yet)
let joining = ''; // the visitor whose "joined" form is open
let busy = false;

const stateClass = (s) => `state-${(s || '').replace('VISITOR_STATE_', '').toLowerCase().replace(/_/g, '-')}`;

export function wireVisitors() {
  replaceChildren(byId('pipeline-filter'), [h('option', { value: '', text: t('app.pipeline.all') }),
    ...Object.entries(STATES).map(([value, key]) => h('option', { value, text: t(key) }))]);
  byId('pipeline-filter').addEventListener('change', renderList);
  byId('invite-visitor-form').addEventListener('submit', (e) => {
    e.preventDefault();
    inviteVisitor();
  });
}

export function renderPipeline() {
  const organizer = isOrganizer();
  byId('pipeline-card').hidden = !organizer;
  byId('jump-pipeline').hidden = !organizer;
  const date = byId('invite-visitor-date');
  if (!date.value) date.value = isoDay(Date.now(), state.chapter && state.chapter.timeZone);
  if (organizer && visitors === null) loadVisitors();
}

// A visitor was invited, came or moved (the chapter's live events): the list again, for organizers.
export const refreshPipelineSoon = debounce(() => (isOrganizer() ? loadVisitors() : null), 300);

async function loadVisitors() {
  if (!state.chapterName) return;
  const result = await call(M.listVisitors, { parent: state.chapterName, pageSize: 1000 }, { token: state.token });
  if (!result.ok) {
    setText(byId('pipeline-error'), result.message || result.code);
    byId('pipeline-error').hidden = false;
    return;
  }
  visitors = result.body.visitors || [];
  renderList();
}

function renderList() {
  if (visitors === null) return;
  const filter = byId('pipeline-filter').value;
  const shown = visitors.filter((v) => !filter || v.state === filter);
  setText(byId('pipeline-count'), String(shown.length));
  const zone = state.chapter && state.chapter.timeZone;
  // A refresh while the organizer types the new member's category keeps what they typed.
  const open = document.getElementById('pipeline-category');
  const typed = open ? open.value : '';
  replaceChildren(byId('pipeline-list'), shown.length ? shown.map((v) => {
    const steps = v.history || [];
    const last = steps.length ? Date.parse(steps[steps.length - 1].time) : NaN;
    return h('li', { class: 'roster-row pipeline-row', dataset: { visitor: v.name, state: v.state } },
      h('div', { class: 'pipeline-head' },
        h('span', { class: 'roster-name', text: v.displayName }),
        h('span', { class: `badge pipeline-state ${stateClass(v.state)}`, text: t(STATES[v.state] || 'app.pipeline.state_attended') })),
      h('span', { class: 'roster-business', text: [v.business, t('app.pipeline.invited_by', { name: state.roster.displayName(v.invitedBy) })].join(' · ') }),
      h('span', { class: 'roster-business', text: t('app.pipeline.since', { day: formatDay(last, zone, false) }) }),
      (v.email || v.phone) ? h('span', { class: 'roster-contact pipeline-contact', text: [v.email, v.phone].filter(Boolean).join(' · ') }) : null,
      h('div', { class: 'roster-actions' }, ...(v.nextStates || []).map((to) => h('button', {
        type: 'button',
        class: `secondary small${to === 'VISITOR_STATE_DECLINED' ? ' danger' : ''}`,
        dataset: { move: to },
        text: t(MOVES[to]),
        on: { click: () => (to === 'VISITOR_STATE_JOINED' ? openJoin(v) : moveVisitor(v, to)) },
      }))),
      joining === v.name ? joinForm(v) : null);
  }) : [h('li', { class: 'hint', text: t('app.pipeline.none') })]);
  const reopened = document.getElementById('pipeline-category');
  if (typed && reopened) reopened.value = typed;
}

function openJoin(v) {
  joining = joining === v.name ? '' : v.name;
  renderList();
  if (joining) byId('pipeline-category').focus();
}

// The new member's category (required, one member per category) before "joined" is sent.
function joinForm(v) {
  return h('form', {
    class: 'pipeline-join',
    attrs: { novalidate: '' },
    on: { submit: (e) => { e.preventDefault(); moveVisitor(v, 'VISITOR_STATE_JOINED', byId('pipeline-category').value); } },
  },
  h('label', { class: 'field' }, h('span', { class: 'label', text: t('app.pipeline.category') }),
    h('input', { id: 'pipeline-category', attrs: { maxlength: '60', autocomplete: 'off' } })),
  h('button', { type: 'submit', class: 'primary', id: 'pipeline-join-submit', text: t('app.pipeline.join_submit') }));
}

async function moveVisitor(v, to, category = '') {
  if (busy) return;
  busy = true;
  byId('pipeline-error').hidden = true;
  const request = { name: v.name, state: to, requestId: newRequestId() };
  if (category) request.category = category;
  const result = await call(M.moveVisitor, request, { token: state.token });
  busy = false;
  if (!result.ok) {
    setText(byId('pipeline-error'), result.message || result.code);
    byId('pipeline-error').dataset.reason = result.reason || '';
    byId('pipeline-error').hidden = false;
    return;
  }
  joining = '';
  await loadVisitors();
}

async function inviteVisitor() {
  if (busy) return;
  busy = true;
  clearFormErrors('inviteVisitor');
  byId('invite-visitor-ok').hidden = true;
  const visitor = {
    displayName: byId('invite-visitor-name').value,
    business: byId('invite-visitor-business').value,
    email: byId('invite-visitor-email').value,
    phone: byId('invite-visitor-phone').value,
  };
  const result = await call(M.inviteVisitor, {
    parent: state.chapterName, date: byId('invite-visitor-date').value, visitor, requestId: newRequestId(),
  }, { token: state.token });
  busy = false;
  if (!result.ok) {
    showFormError('inviteVisitor', result);
    return;
  }
  resetForm('inviteVisitor');
  byId('invite-visitor-date').value = '';
  renderPipeline();
  setText(byId('invite-visitor-ok'), t('app.invite_visitor.done', { name: result.body.displayName }));
  byId('invite-visitor-ok').hidden = false;
  if (isOrganizer()) await loadVisitors();
}
