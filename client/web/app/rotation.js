// The feature-presentation rotation (issue 12 item 2), edited by organizers in the roster card:
// who presents on which meeting day, weeks ahead. Saved whole with UpdateChapter (mask
// "feature_rotation"); the server keeps weeks already set as they are (a past week, a member
// who left), checks the new ones and answers them in date order. The room display's closing
// recap names next week's presenter.

import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { isoDay } from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { saveChapter } from '/app/chapter_form.js';
import { state, tz } from '/app/state.js';

let rows = []; // { date: "YYYY-MM-DD", member: "chapters/c/members/m" }
let shown = null; // the saved rotation the rows were taken from (JSON)
let dirty = false;
let busy = false;

const savedRotation = () => ((state.chapter && state.chapter.featureRotation) || [])
  .map((w) => ({ date: w.date || '', member: w.member || '' }));

// "YYYY-MM-DD" `days` after `day` (calendar arithmetic in UTC: no zone shifts a whole day).
export function addDays(day, days) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function wireRotationEditor() {
  byId('rotation-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saveRotation();
  });
  byId('rotation-add').addEventListener('click', () => {
    // A week after the last one; the first one a week from today.
    const last = rows.length ? rows[rows.length - 1].date : '';
    rows.push({ date: addDays(last || isoDay(Date.now(), tz()), 7), member: '' });
    edited();
    byId('rotation-rows').lastElementChild.querySelector('select').focus();
  });
}

function edited() {
  dirty = true;
  byId('rotation-ok').hidden = true;
  renderRows();
}

export function renderRotationEditor() {
  const saved = JSON.stringify(savedRotation());
  if (saved === shown || (dirty && shown !== null)) return;
  shown = saved;
  rows = savedRotation();
  renderRows();
}

// The members a week may name: the active ones, and the one it names already (who may have left).
function memberOptions(current) {
  const members = state.roster.active().map((m) => ({ name: m.name, label: m.displayName }));
  if (current && !members.some((m) => m.name === current)) {
    members.push({ name: current, label: state.roster.displayName(current) });
  }
  return [h('option', { value: '', text: t('app.form.choose_member') }),
    ...members.map((m) => h('option', { value: m.name, text: m.label, selected: m.name === current }))];
}

function renderRows() {
  byId('rotation-empty').hidden = rows.length > 0;
  replaceChildren(byId('rotation-rows'), rows.map((row, i) => h('li', { class: 'rotation-row' },
    h('input', {
      type: 'date',
      class: 'rotation-date',
      attrs: { 'aria-label': t('app.rotation.date', { n: i + 1 }) },
      dataset: { field: `chapter.feature_rotation[${i}].date` },
      value: row.date,
      on: { input: (e) => { rows[i].date = e.target.value; dirty = true; } },
    }),
    h('select', {
      class: 'rotation-member',
      attrs: { 'aria-label': t('app.rotation.member', { n: i + 1 }) },
      dataset: { field: `chapter.feature_rotation[${i}].member` },
      on: { change: (e) => { rows[i].member = e.target.value; dirty = true; } },
    }, ...memberOptions(row.member)),
    h('button', { type: 'button', class: 'secondary small danger', text: '✕', attrs: { 'aria-label': t('app.rotation.remove', { n: i + 1 }) }, on: { click: () => { rows.splice(i, 1); edited(); } } }))));
  setText(byId('rotation-submit'), t('app.rotation.save'));
}

async function saveRotation() {
  if (busy) return;
  busy = true;
  const featureRotation = rows.map((r) => ({ date: r.date, member: r.member }));
  const saved = await saveChapter('rotation', { featureRotation }, 'feature_rotation', 'app.rotation.saved');
  busy = false;
  if (!saved) return;
  dirty = false;
  shown = null;
  renderRotationEditor();
}
