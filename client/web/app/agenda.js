// The chapter's agenda (issue 12 item 2), edited by organizers in the roster card: its segments
// in order, each with a title, the minutes the agenda gives it and the countdown of each start
// (one speaker's turn, or 0 for the whole segment). Saved with UpdateChapter (mask "agenda"); the
// run card then offers these segments and starts the next one with one tap (run.js).

import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { t } from '/shared/i18n.js';
import { saveChapter } from '/app/chapter_form.js';
import { AGENDA } from '/app/run.js';
import { state } from '/app/state.js';

// The rows being edited: { title, minutes, countdownSeconds }.
let rows = [];
// The agenda the rows were taken from (JSON), so that an update from elsewhere refreshes them
// unless the organizer has changed something.
let shown = null;
let dirty = false;
let busy = false;

const savedAgenda = () => ((state.chapter && state.chapter.agenda) || [])
  .map((a) => ({ title: a.title, minutes: a.minutes || 0, countdownSeconds: a.countdownSeconds || 0 }));

// The usual BNI agenda, in the organizer's language, with usual minutes.
const USUAL_MINUTES = [15, 5, 30, 5, 10, 15, 10];

export function wireAgendaEditor() {
  byId('agenda-form').addEventListener('submit', (e) => {
    e.preventDefault();
    saveAgenda();
  });
  byId('agenda-add').addEventListener('click', () => {
    rows.push({ title: '', minutes: 5, countdownSeconds: 0 });
    edited();
    byId('agenda-rows').lastElementChild.querySelector('input').focus();
  });
  byId('agenda-usual').addEventListener('click', () => {
    rows = AGENDA.map(({ key, seconds }, i) => ({ title: t(key), minutes: USUAL_MINUTES[i], countdownSeconds: seconds }));
    edited();
  });
}

function edited() {
  dirty = true;
  byId('agenda-ok').hidden = true;
  renderRows();
}

export function renderAgendaEditor() {
  const saved = JSON.stringify(savedAgenda());
  if (saved === shown || (dirty && shown !== null)) return;
  shown = saved;
  rows = savedAgenda();
  renderRows();
}

function move(i, by) {
  const j = i + by;
  if (j < 0 || j >= rows.length) return;
  [rows[i], rows[j]] = [rows[j], rows[i]];
  edited();
}

// One of a row's numbers: rows[i][key], the server's field name `field`, labelled `label`.
function numberInput(i, key, field, max, label) {
  return h('input', {
    type: 'number',
    class: `agenda-${key}`,
    attrs: { min: '0', max: String(max), inputmode: 'numeric', 'aria-label': label },
    dataset: { field: `chapter.agenda[${i}].${field}` },
    value: String(rows[i][key]),
    on: { input: (e) => { rows[i][key] = Number(e.target.value || 0); dirty = true; } },
  });
}

function renderRows() {
  replaceChildren(byId('agenda-rows'), rows.map((row, i) => h('li', { class: 'agenda-row' },
    h('input', {
      class: 'agenda-title',
      attrs: { maxlength: '60', autocomplete: 'off', 'aria-label': t('app.agenda_editor.segment', { n: i + 1 }) },
      dataset: { field: `chapter.agenda[${i}].title` },
      value: row.title,
      on: { input: (e) => { rows[i].title = e.target.value; dirty = true; } },
    }),
    h('label', { class: 'agenda-number' }, h('span', { text: t('app.agenda_editor.min') }), numberInput(i, 'minutes', 'minutes', 240, t('app.agenda_editor.minutes', { n: i + 1 }))),
    h('label', { class: 'agenda-number' }, h('span', { text: t('app.agenda_editor.sec') }), numberInput(i, 'countdownSeconds', 'countdown_seconds', 3600, t('app.agenda_editor.countdown', { n: i + 1 }))),
    h('div', { class: 'agenda-moves' },
      h('button', { type: 'button', class: 'secondary small', text: '↑', attrs: { 'aria-label': t('app.agenda_editor.up', { n: i + 1 }) }, disabled: i === 0, on: { click: () => move(i, -1) } }),
      h('button', { type: 'button', class: 'secondary small', text: '↓', attrs: { 'aria-label': t('app.agenda_editor.down', { n: i + 1 }) }, disabled: i === rows.length - 1, on: { click: () => move(i, 1) } }),
      h('button', { type: 'button', class: 'secondary small danger', text: '✕', attrs: { 'aria-label': t('app.agenda_editor.remove', { n: i + 1 }) }, on: { click: () => { rows.splice(i, 1); edited(); } } })))));
  setText(byId('agenda-submit'), t('app.agenda_editor.save'));
}

async function saveAgenda() {
  if (busy) return;
  busy = true;
  const agenda = rows.map((r) => ({ title: r.title, minutes: r.minutes, countdownSeconds: r.countdownSeconds }));
  const saved = await saveChapter('agenda', { agenda }, 'agenda', 'app.agenda_editor.saved');
  busy = false;
  if (!saved) return;
  dirty = false;
  shown = null;
  renderAgendaEditor();
}
