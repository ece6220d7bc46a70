// What the phone checks before it queues a form (issue 10, item 5): the server's rules that need
// nothing but the form, with the server's reasons (server/domain/error_reasons.h) and so the
// server's own message (reasons.js). A submission that would be refused is not "saved on this
// phone" first and "not recorded" later: the field is marked at once, online or not. The server
// checks everything again; these are only the rules it would apply to the same input:
//   GiveReferral    server/domain/chapter_referrals.cc (CheckGiveReferral)
//   RecordThankYou  server/domain/money.cc (amounts)
//   RegisterVisitor server/domain/chapter_meetings.cc
//   text lengths    server/domain/validation.cc (CheckText: Unicode code points after NFC)
// Each check returns null, or {reason, params, field}: field as the server names it.

const CONTACT_NAME = [1, 100];
const NOTE = [0, 1000];
const VISITOR_TEXT = [1, 100];

function length(text) {
  return [...String(text || '').normalize('NFC')].length;
}

function textLength(field, text, [min, max]) {
  const count = length(text);
  return count < min || count > max ? { reason: 'TEXT_LENGTH', params: { count, min, max }, field } : null;
}

// The server's e-mail check in short: no spaces, one "@" with text on both sides, a dot in the
// domain. (It checks more; an address that passes here may still be refused there.)
function email(field, text) {
  const e = String(text || '').trim();
  if (!e) return null;
  const valid = e.length <= 254 && !/\s/.test(e) && /^[^@]+@[^@]+\.[^@]+$/.test(e);
  return valid ? null : { reason: 'INVALID_EMAIL', params: {}, field };
}

export function checkReferral(referral, me) {
  if (referral.receiver && referral.receiver === me) {
    return { reason: 'SELF_REFERRAL', params: {}, field: 'referral.receiver' };
  }
  const temperature = Number(referral.temperature || 0);
  if (temperature < 1 || temperature > 5) {
    return { reason: 'TEMPERATURE_OUT_OF_RANGE', params: { value: String(temperature) }, field: 'referral.temperature' };
  }
  if (referral.kind === 'REFERRAL_KIND_OUTSIDE') {
    const name = textLength('referral.contact_name', referral.contactName, CONTACT_NAME);
    if (name) return name;
    const bad = email('referral.contact_email', referral.contactEmail);
    if (bad) return bad;
    if (!String(referral.contactPhone || '').trim() && !String(referral.contactEmail || '').trim()) {
      return { reason: 'CONTACT_REQUIRED', params: {}, field: 'referral.contact_phone' };
    }
  }
  return textLength('referral.note', referral.note, NOTE);
}

export function checkThankYou(thankYou) {
  const amount = String((thankYou.amount && thankYou.amount.amount) || '');
  const value = Number(amount);
  if (amount && Number.isFinite(value) && value <= 0) {
    return { reason: 'AMOUNT_NOT_POSITIVE', params: { value: amount }, field: 'thank_you.amount.amount' };
  }
  return textLength('thank_you.note', thankYou.note, NOTE);
}

export function checkVisitor(visitor) {
  return textLength('visitor.display_name', visitor.displayName, VISITOR_TEXT) ||
    textLength('visitor.business', visitor.business, VISITOR_TEXT) ||
    email('visitor.email', visitor.email);
}
