// Formatting shared by the display and the phone page.

export const TEMPERATURES = {
  1: 'a name',
  2: 'some interest',
  3: 'warm',
  4: 'hot',
  5: 'ready to buy',
};

export function temperatureLabel(t) {
  const n = Number(t) || 0;
  return n ? `temperature ${n} of 5, ${TEMPERATURES[n] || ''}`.trim() : 'no temperature';
}

export const STATUS_LABELS = {
  REFERRAL_STATUS_GIVEN: 'Given',
  REFERRAL_STATUS_CONTACTED: 'Contacted',
  REFERRAL_STATUS_MEETING_SET: 'Meeting set',
  REFERRAL_STATUS_CLOSED_WON: 'Won',
  REFERRAL_STATUS_CLOSED_LOST: 'Lost',
  REFERRAL_STATUS_NOT_PURSUED: 'Not pursued',
};

export const STATUS_RANK = {
  REFERRAL_STATUS_GIVEN: 1,
  REFERRAL_STATUS_CONTACTED: 2,
  REFERRAL_STATUS_MEETING_SET: 3,
  REFERRAL_STATUS_CLOSED_WON: 4,
  REFERRAL_STATUS_CLOSED_LOST: 4,
  REFERRAL_STATUS_NOT_PURSUED: 4,
};

export const ATTENDANCE_LABELS = {
  ATTENDANCE_STATUS_PRESENT: 'present',
  ATTENDANCE_STATUS_ABSENT: 'absent',
  ATTENDANCE_STATUS_LATE: 'late',
  ATTENDANCE_STATUS_MEDICAL: 'medical',
  ATTENDANCE_STATUS_SUBSTITUTE: 'substitute',
};

export const MEETING_STATE_LABELS = {
  MEETING_STATE_SCHEDULED: 'scheduled',
  MEETING_STATE_OPEN: 'check-in open',
  MEETING_STATE_IN_PROGRESS: 'in progress',
  MEETING_STATE_CLOSED: 'closed',
};

// "1250.00" in "EUR" -> "€1,250.00" (in the browser's locale); the raw text if it is not a number.
export function formatMoney(money) {
  if (!money || !money.amount) return '';
  const value = Number(money.amount);
  const currency = money.currency || 'EUR';
  if (!Number.isFinite(value)) return `${currency} ${money.amount}`;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value);
  } catch {
    return `${currency} ${money.amount}`;
  }
}

// Local time of day in the chapter's time zone ("07:42").
export function formatClock(millis, timeZone) {
  if (!Number.isFinite(millis)) return '';
  const options = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: timeZone || undefined }).format(millis);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(millis);
  }
}

// "Tuesday 1 December, 07:00" in the chapter's time zone.
export function formatDay(millis, timeZone, withTime = true) {
  if (!Number.isFinite(millis)) return '';
  const options = { weekday: 'long', day: 'numeric', month: 'long' };
  if (withTime) Object.assign(options, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: timeZone || undefined }).format(millis);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(millis);
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
    return name ? `member ${shortId(name)}` : '';
  }

  active() {
    return [...this.members.values()]
      .filter((m) => (m.state || 'MEMBER_STATE_ACTIVE') === 'MEMBER_STATE_ACTIVE')
      .sort((a, b) => (a.displayName || '').localeCompare(b.displayName || ''));
  }
}
