// What the room display sums up, computed from what it already receives (no rendering here, so
// the browser tests can check the numbers directly).

import { isoDay } from '/shared/format.js';

// The traffic light's bands as the room sees them, in this order; a plugin's other bands follow.
export const BANDS = ['green', 'amber', 'red', 'grey'];
// A member with too little history for a band (the scoring plugin's "provisional"): shown apart,
// neutrally, and never counted in the room's red/green summary.
export const PROVISIONAL = 'provisional';

// GetScores' scores -> { counts: Map band -> members (bands in BANDS order, then others; no
// provisional ones), provisional: members without a band yet }.
export function trafficSummary(scores) {
  const tally = new Map();
  let provisional = 0;
  for (const score of scores || []) {
    const band = score.band || 'grey';
    if (band === PROVISIONAL) provisional += 1;
    else tally.set(band, (tally.get(band) || 0) + 1);
  }
  const order = [...BANDS.filter((band) => tally.has(band)), ...[...tally.keys()].filter((band) => !BANDS.includes(band))];
  return { counts: new Map(order.map((band) => [band, tally.get(band)])), provisional };
}

const HERE = ['ATTENDANCE_STATUS_PRESENT', 'ATTENDANCE_STATUS_LATE', 'ATTENDANCE_STATUS_SUBSTITUTE'];

// The closing recap of `meeting`: records = [{kind: 'referral' | 'thanks' | 'oneToOne', time
// (ms), amount: Money}] as the event log told them; those between the meeting's opening (its
// start when it was never opened) and its closing count. Amounts are summed per currency
// (minor units never lost: amounts are decimal strings, summed in cents).
export function meetingRecap(meeting, records, activeMembers) {
  const from = firstFinite(Date.parse(meeting.openTime), Date.parse(meeting.startTime));
  const to = firstFinite(Date.parse(meeting.closeTime), Infinity);
  const within = (records || []).filter((r) => r.time >= from && r.time <= to);
  const cents = new Map();
  for (const r of within) {
    if (r.kind !== 'thanks' || !r.amount || !r.amount.amount) continue;
    const value = Math.round(Number(r.amount.amount) * 100);
    if (!Number.isFinite(value)) continue;
    const currency = r.amount.currency || 'EUR';
    cents.set(currency, (cents.get(currency) || 0) + value);
  }
  const attendance = meeting.attendance || [];
  return {
    referrals: within.filter((r) => r.kind === 'referral').length,
    thanks: within.filter((r) => r.kind === 'thanks').length,
    amounts: [...cents].map(([currency, total]) => ({ currency, value: total / 100 })),
    visitors: (meeting.visitors || []).length,
    oneToOnes: within.filter((r) => r.kind === 'oneToOne').length,
    here: attendance.filter((a) => HERE.includes(a.status)).length,
    members: activeMembers,
  };
}

function firstFinite(...values) {
  return values.find((v) => Number.isFinite(v)) ?? -Infinity;
}

// Who gives the feature presentation at the next meeting after the one starting at `startMillis`
// (Chapter.featureRotation): the entry of the first day after the meeting's day within the week
// after it, in the chapter's time zone; null when that week has none.
export function nextFeaturePresenter(startMillis, chapter) {
  const rotation = (chapter && chapter.featureRotation) || [];
  if (!rotation.length || Number.isNaN(startMillis)) return null;
  const day = isoDay(startMillis, chapter.timeZone || undefined);
  const weekLater = new Date(Date.parse(`${day}T00:00:00Z`) + 7 * 86400000).toISOString().slice(0, 10);
  return rotation
    .filter((week) => week.date > day && week.date <= weekLater)
    .sort((a, b) => a.date.localeCompare(b.date))[0] || null;
}
