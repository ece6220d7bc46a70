// Formatting shared by the display and the phone page, in the page's language (i18n.js).

import { locale, t } from '/shared/i18n.js';

// Temperatures 1-5 and what each means.
const TEMPERATURE_KEYS = {
  1: 'temperature.1',
  2: 'temperature.2',
  3: 'temperature.3',
  4: 'temperature.4',
  5: 'temperature.5',
};

// "ready to buy" for 5; "" for no temperature.
export function temperatureName(temperature) {
  const key = TEMPERATURE_KEYS[Number(temperature) || 0];
  return key ? t(key) : '';
}

export function temperatureLabel(temperature) {
  const n = Number(temperature) || 0;
  return n ? t('temperature.label', { n, name: temperatureName(n) }) : t('temperature.none');
}

const STATUS_KEYS = {
  REFERRAL_STATUS_GIVEN: 'status.given',
  REFERRAL_STATUS_CONTACTED: 'status.contacted',
  REFERRAL_STATUS_MEETING_SET: 'status.meeting_set',
  REFERRAL_STATUS_CLOSED_WON: 'status.won',
  REFERRAL_STATUS_CLOSED_LOST: 'status.lost',
  REFERRAL_STATUS_NOT_PURSUED: 'status.not_pursued',
};

// A referral status as a person reads it ("Won"); "" for an unknown one.
export function statusLabel(status) {
  return STATUS_KEYS[status] ? t(STATUS_KEYS[status]) : '';
}

export const STATUS_RANK = {
  REFERRAL_STATUS_GIVEN: 1,
  REFERRAL_STATUS_CONTACTED: 2,
  REFERRAL_STATUS_MEETING_SET: 3,
  REFERRAL_STATUS_CLOSED_WON: 4,
  REFERRAL_STATUS_CLOSED_LOST: 4,
  REFERRAL_STATUS_NOT_PURSUED: 4,
};

const ATTENDANCE_KEYS = {
  ATTENDANCE_STATUS_PRESENT: 'attendance.present',
  ATTENDANCE_STATUS_ABSENT: 'attendance.absent',
  ATTENDANCE_STATUS_LATE: 'attendance.late',
  ATTENDANCE_STATUS_MEDICAL: 'attendance.medical',
  ATTENDANCE_STATUS_SUBSTITUTE: 'attendance.substitute',
};

// An attendance record in a sentence ("present"); "" for an unknown one.
export function attendanceLabel(status) {
  return ATTENDANCE_KEYS[status] ? t(ATTENDANCE_KEYS[status]) : '';
}

const MEETING_STATE_KEYS = {
  MEETING_STATE_SCHEDULED: 'meeting_state.scheduled',
  MEETING_STATE_OPEN: 'meeting_state.open',
  MEETING_STATE_IN_PROGRESS: 'meeting_state.in_progress',
  MEETING_STATE_CLOSED: 'meeting_state.closed',
  MEETING_STATE_CANCELLED: 'meeting_state.cancelled',
};

// A meeting's state in a line ("in progress"); "" for an unknown one.
export function meetingStateLabel(state) {
  return MEETING_STATE_KEYS[state] ? t(MEETING_STATE_KEYS[state]) : '';
}

// "provisional": a member with too little history for a band yet (shown as "New", neutrally).
const BAND_KEYS = {
  green: 'band.green', amber: 'band.amber', red: 'band.red', grey: 'band.grey', provisional: 'band.provisional',
};

// A traffic-light band ("green") as a person reads it; an unknown band as it is.
export function bandLabel(band) {
  return BAND_KEYS[band] ? t(BAND_KEYS[band]) : String(band || '');
}

// A plugin's window: its length ("30 days"), and as a span of time ("last 30 days", "this meeting").
const WINDOW_KEYS = { '30d': 'window.30d', '90d': 'window.90d', '6m': 'window.6m', '12m': 'window.12m', all: 'window.all' };
const WINDOW_SPAN_KEYS = {
  meeting: 'window.span.meeting',
  '30d': 'window.span.30d',
  '90d': 'window.span.90d',
  '6m': 'window.span.6m',
  '12m': 'window.span.12m',
  all: 'window.all',
};

export function windowLabel(window) {
  return WINDOW_KEYS[window] ? t(WINDOW_KEYS[window]) : String(window || '');
}

export function windowSpanLabel(window) {
  return WINDOW_SPAN_KEYS[window] ? t(WINDOW_SPAN_KEYS[window]) : String(window || '');
}

// "1250.00" in "EUR" -> "1.250,00 €" in Italian, "€1,250.00" in English: the one money format
// of the page's locale; the raw text if it is not a number.
export function formatMoney(money) {
  if (!money || !money.amount) return '';
  const value = Number(money.amount);
  const currency = money.currency || 'EUR';
  if (!Number.isFinite(value)) return `${currency} ${money.amount}`;
  try {
    return formatAmount(value, currency);
  } catch {
    return `${currency} ${money.amount}`;
  }
}

// A number of `currency` units (12500 -> "12.500,00 €" in Italian).
export function formatAmount(value, currency) {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(value);
}

// A plain number in the page's locale (12500 -> "12.500,00" in Italian with 2 fraction digits).
export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

// Local time of day in the chapter's time zone ("07:42").
export function formatClock(millis, timeZone) {
  if (!Number.isFinite(millis)) return '';
  const options = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat(locale(), { ...options, timeZone: timeZone || undefined }).format(millis);
  } catch {
    return new Intl.DateTimeFormat(locale(), options).format(millis);
  }
}

// "Tuesday 1 December, 07:00" in the chapter's time zone, in the page's language.
export function formatDay(millis, timeZone, withTime = true) {
  if (!Number.isFinite(millis)) return '';
  const options = { weekday: 'long', day: 'numeric', month: 'long' };
  if (withTime) Object.assign(options, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  try {
    return new Intl.DateTimeFormat(locale(), { ...options, timeZone: timeZone || undefined }).format(millis);
  } catch {
    return new Intl.DateTimeFormat(locale(), options).format(millis);
  }
}

// The calendar day "YYYY-MM-DD" of `millis` in the chapter's time zone.
export function isoDay(millis, timeZone) {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric', month: '2-digit', day: '2-digit', timeZone: timeZone || undefined,
    }).formatToParts(millis);
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return new Date(millis).toISOString().slice(0, 10);
  }
}

// The instant (milliseconds) of the local time "HH:MM" on the day "YYYY-MM-DD" in `timeZone`
// (an IANA name; the browser's zone when empty). NaN when the input is not a date and time.
export function zonedTime(day, hhmm, timeZone) {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(day || ''));
  const t = /^(\d{1,2}):(\d{2})$/.exec(String(hhmm || ''));
  if (!d || !t) return NaN;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // The zone's offset at an instant: its wall clock read as if it were UTC, minus the instant.
  const offsetAt = (millis) => {
    try {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: timeZone || undefined, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit',
      }).formatToParts(millis);
      const get = (type) => Number(parts.find((p) => p.type === type).value);
      return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second')) -
        Math.floor(millis / 1000) * 1000;
    } catch {
      return -new Date(millis).getTimezoneOffset() * 60000;
    }
  };
  // Twice, for a wall time near a daylight-saving change.
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return guess;
}

// Seconds as "1:05" (or "12:00:05" past an hour).
export function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`;
  return `${minutes}:${seconds}`;
}

export function initials(name) {
  const words = String(name || '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0][0] || '';
  const last = words.length > 1 ? words[words.length - 1][0] : '';
  return (first + last).toUpperCase();
}

// The last segment of a resource name: "chapters/x/members/3" -> "3".
export function shortId(name) {
  const parts = String(name || '').split('/');
  return parts[parts.length - 1] || '';
}

// "chapters/x/members/3" -> "chapters/x".
export function chapterOf(name) {
  const parts = String(name || '').split('/');
  return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : '';
}

// A roster: resource name -> member, with display names that fall back to the id.
export class Roster {
  constructor() {
    this.members = new Map();
  }

  set(members) {
    this.members = new Map(members.map((m) => [m.name, m]));
  }

  upsert(member) {
    if (member && member.name) this.members.set(member.name, { ...this.members.get(member.name), ...member });
  }

  get(name) {
    return this.members.get(name);
  }

  displayName(name) {
    const member = this.members.get(name);
    if (member && member.displayName) return member.displayName;
    return name ? t('member.fallback', { id: shortId(name) }) : '';
  }

  active() {
    return [...this.members.values()]
      .filter((m) => (m.state || 'MEMBER_STATE_ACTIVE') === 'MEMBER_STATE_ACTIVE')
      .sort((a, b) => (a.displayName || '').localeCompare(b.displayName || ''));
  }
}
