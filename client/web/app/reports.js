// The leadership team's reports (issue 12): PALMS for any period, who gave to whom drawn as a
// heat map, and the absences with the three-in-six-months alert; each downloadable as CSV with
// the columns `reciproca report palms|matrix|absences --csv` prints. Organizers only (the card is
// hidden for the others, and the server refuses them anyway). Days are the chapter's: "from" is
// that day's midnight in the chapter's time zone, "to" is inclusive.

import { call } from '/shared/api.js';
import { byId, h, replaceChildren, setText } from '/shared/dom.js';
import { t } from '/shared/i18n.js';
import { formatMoney, formatNumber, initials, isoDay, zonedTime } from '/shared/format.js';
import { clearFormErrors, showFormError } from '/app/forms.js';
import { M, isOrganizer, state } from '/app/state.js';

// What the heat map can draw: a RelationshipCell's field and its label.
const MEASURES = [['referrals', 'app.reports.measure_referrals'], ['oneToOnes', 'app.reports.measure_one_to_ones']];
const DAY = 86400000;

let last = null; // the reports shown: { palms, matrix, absences, from, to }
let busy = false;

export function wireReports() {
  replaceChildren(byId('reports-measure'), MEASURES.map(([value, key]) => h('option', { value, text: t(key) })));
  byId('reports-measure').addEventListener('change', renderMatrix);
  byId('reports-form').addEventListener('submit', (e) => {
    e.preventDefault();
    loadReports();
  });
  byId('reports-palms-csv').addEventListener('click', () => download('palms', palmsCsv(last.palms)));
  byId('reports-matrix-csv').addEventListener('click', () => download('matrix', matrixCsv(last.matrix)));
  byId('reports-absences-csv').addEventListener('click', () => download('absences', absencesCsv(last.absences)));
}

export function renderReports() {
  const organizer = isOrganizer();
  byId('reports-card').hidden = !organizer;
  byId('jump-reports').hidden = !organizer;
  if (!organizer || byId('reports-from').value) return;
  // The last four weeks by default.
  const zone = state.chapter && state.chapter.timeZone;
  byId('reports-from').value = isoDay(Date.now() - 27 * DAY, zone);
  byId('reports-to').value = isoDay(Date.now(), zone);
}

// "YYYY-MM-DD" + 1 day.
function nextDay(day) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

async function loadReports() {
  if (busy) return;
  busy = true;
  clearFormErrors('reports');
  const zone = state.chapter && state.chapter.timeZone;
  const from = byId('reports-from').value;
  const to = byId('reports-to').value;
  const range = { chapter: state.chapterName };
  if (from) range.startTime = new Date(zonedTime(from, '00:00', zone)).toISOString();
  if (to) range.endTime = new Date(zonedTime(nextDay(to), '00:00', zone)).toISOString();
  const asOf = to ? { asOf: range.endTime } : {};
  const options = { token: state.token };
  const [palms, matrix, absences] = await Promise.all([
    call(M.getPalmsReport, range, options),
    call(M.getRelationshipMatrix, range, options),
    call(M.getAbsenceReport, { chapter: state.chapterName, ...asOf }, options),
  ]);
  busy = false;
  const failed = [palms, matrix, absences].find((r) => !r.ok);
  if (failed) {
    showFormError('reports', failed);
    return;
  }
  last = { palms: palms.body, matrix: matrix.body, absences: absences.body, from, to };
  byId('reports-body').hidden = false;
  renderPalms();
  renderMatrix();
  renderAbsences();
}

const PALMS_COLUMNS = [
  ['present', 'P'], ['absent', 'A'], ['late', 'L'], ['medical', 'M'], ['substitute', 'S'],
  ['referralsGiven', 'app.reports.col_given'], ['referralsReceived', 'app.reports.col_received'],
  ['visitors', 'app.reports.col_visitors'], ['oneToOnes', 'app.reports.col_one_to_ones'], ['ceus', 'CEU'],
];

function renderPalms() {
  const report = last.palms;
  const label = (key) => (key.startsWith('app.') ? t(key) : key);
  replaceChildren(byId('reports-palms'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: t('app.reports.col_member') }),
      ...PALMS_COLUMNS.map(([, key]) => h('th', { scope: 'col', class: 'num', text: label(key) })),
      h('th', { scope: 'col', class: 'num', text: t('app.reports.col_tyfcb') }))),
    h('tbody', {}, ...(report.rows || []).map((row) => h('tr', { dataset: { member: row.member } },
      h('th', { scope: 'row', text: row.displayName }),
      ...PALMS_COLUMNS.map(([field]) => h('td', { class: 'num', text: formatNumber(row[field] || 0) })),
      h('td', { class: 'num', text: (row.tyfcbReceived || []).map(formatMoney).join(' · ') || '–' })))));
}

function renderMatrix() {
  if (!last) return;
  const matrix = last.matrix;
  const measure = byId('reports-measure').value || 'referrals';
  const members = matrix.members || [];
  const cells = new Map((matrix.cells || []).map((c) => [`${c.giver}>${c.receiver}`, c]));
  const value = (giver, receiver) => {
    const cell = cells.get(`${giver}>${receiver}`);
    return cell ? cell[measure] || 0 : 0;
  };
  let max = 0;
  for (const cell of cells.values()) max = Math.max(max, cell[measure] || 0);
  replaceChildren(byId('reports-matrix'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'corner', text: t('app.reports.giver_receiver') }),
      ...members.map((m) => h('th', { scope: 'col', title: m.displayName, text: initials(m.displayName) })))),
    h('tbody', {}, ...members.map((giver) => h('tr', {},
      h('th', { scope: 'row', text: giver.displayName }),
      ...members.map((receiver) => {
        if (giver.member === receiver.member) return h('td', { class: 'self' });
        const n = value(giver.member, receiver.member);
        const back = value(receiver.member, giver.member);
        return h('td', {
          class: [n > 0 && back === 0 ? 'one-sided' : '', max && n / max > 0.55 ? 'hot' : ''],
          style: `--heat: ${max ? (n / max).toFixed(3) : 0}`,
          dataset: { giver: giver.member, receiver: receiver.member },
          title: t('app.reports.cell', { giver: giver.displayName, receiver: receiver.displayName, count: n, back }),
          text: n ? formatNumber(n) : '',
        });
      })))));
}

function renderAbsences() {
  const report = last.absences;
  setText(byId('reports-absences-hint'), t('app.reports.absences_hint', { count: report.alertAt || 3 }));
  replaceChildren(byId('reports-absences'), (report.rows || []).map((row) => h('li', {
    class: `roster-row${row.alert ? ' alert' : ''}`, dataset: { member: row.member },
  },
  h('div', { class: 'roster-who' },
    h('span', { class: 'roster-name', text: row.displayName }),
    h('span', { class: 'roster-business', text: t('app.reports.absent_of', { count: row.absences || 0, meetings: row.meetings || 0 }) })),
  row.alert ? h('span', { class: 'badge alert', text: t('app.reports.alert') }) : null)));
}

// ---- CSV: the columns the CLI's --csv prints ----

function csvField(text) {
  const s = String(text ?? '');
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csv(rows) {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

// "EUR 1250.00; USD 10.00", as the CLI writes money.
function moneyList(amounts) {
  return (amounts || []).map((m) => `${m.currency} ${m.amount}`).join('; ');
}

function palmsCsv(report) {
  return csv([['member', 'display_name', 'state', 'present', 'absent', 'late', 'medical', 'substitute',
    'referrals_given', 'referrals_received', 'visitors', 'one_to_ones', 'ceus', 'testimonials_given',
    'tyfcb_given', 'tyfcb_received', 'imported_summaries'],
  ...(report.rows || []).map((r) => [r.member, r.displayName, (r.state || '').replace('MEMBER_STATE_', '').toLowerCase(),
    r.present || 0, r.absent || 0, r.late || 0, r.medical || 0, r.substitute || 0, r.referralsGiven || 0,
    r.referralsReceived || 0, r.visitors || 0, r.oneToOnes || 0, r.ceus || 0, r.testimonialsGiven || 0,
    moneyList(r.tyfcbGiven), moneyList(r.tyfcbReceived), r.importedSummaries || 0])]);
}

function matrixCsv(matrix) {
  const names = new Map((matrix.members || []).map((m) => [m.member, m.displayName]));
  const cells = new Map((matrix.cells || []).map((c) => [`${c.giver}>${c.receiver}`, c]));
  return csv([['giver', 'giver_name', 'receiver', 'receiver_name', 'referrals', 'referrals_back', 'tyfcb', 'one_to_ones'],
    ...(matrix.cells || []).map((c) => [c.giver, names.get(c.giver), c.receiver, names.get(c.receiver),
      c.referrals || 0, (cells.get(`${c.receiver}>${c.giver}`) || {}).referrals || 0, moneyList(c.tyfcb),
      c.oneToOnes || 0])]);
}

function absencesCsv(report) {
  return csv([['member', 'display_name', 'meetings', 'absences', 'alert', 'absence_times'],
    ...(report.rows || []).map((r) => [r.member, r.displayName, r.meetings || 0, r.absences || 0, !!r.alert,
      (r.absenceTimes || []).map((time) => time.replace(/\.\d+Z$/, 'Z')).join('; ')])]);
}

function download(kind, text) {
  const range = [last.from, last.to].filter(Boolean).join('_');
  const chapter = (state.chapterName || '').split('/').pop();
  const link = h('a', {
    href: URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' })),
    download: `${chapter}-${kind}${range ? `-${range}` : ''}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
