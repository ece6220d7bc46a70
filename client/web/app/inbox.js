// The referrals I received: moved forward with a tap, and thanked for when the business closed.

import { parseTime } from '/shared/events.js';
import { byId, h, replaceChildren, setText, temperatureFlames } from '/shared/dom.js';
import { STATUS_RANK, formatDay, statusLabel, temperatureLabel } from '/shared/format.js';
import { t } from '/shared/i18n.js';
import { M, state, tz } from '/app/state.js';

export const NEXT_STATUSES = [
  'REFERRAL_STATUS_CONTACTED',
  'REFERRAL_STATUS_MEETING_SET',
  'REFERRAL_STATUS_CLOSED_WON',
  'REFERRAL_STATUS_CLOSED_LOST',
  'REFERRAL_STATUS_NOT_PURSUED',
];

export function submitStatus(referral, status, label) {
  state.outbox.add({
    method: M.updateStatus,
    request: { name: referral.name, status },
    label: t('app.label.status', { name: state.roster.displayName(referral.giver), status: label }),
    form: `status:${referral.name}`,
  });
  renderInbox();
}

export function pendingStatusFor(referralName) {
  if (!state.outbox) return null;
  const item = state.outbox.items.find((i) => i.method === M.updateStatus && i.request.name === referralName);
  return item ? item.request.status : null;
}

export function renderInbox() {
  const list = byId('inbox');
  const zone = tz();
  const open = state.inbox.filter((r) => STATUS_RANK[r.status] !== 4).length;
  setText(byId('inbox-count'), state.inbox.length ? t('app.inbox.open', { count: open }) : '');
  setText(byId('jump-inbox-count'), String(open));
  byId('jump-inbox-count').hidden = open === 0;
  byId('jump-inbox-count').setAttribute('aria-label', t('app.inbox.open', { count: open }));
  byId('inbox-empty').hidden = state.inbox.length > 0;
  replaceChildren(list, state.inbox.map((r) => {
    const pending = pendingStatusFor(r.name);
    const rank = STATUS_RANK[r.status] || 0;
    const closed = rank === 4;
    const outside = r.kind === 'REFERRAL_KIND_OUTSIDE';
    const actions = closed ? [] : NEXT_STATUSES.filter((status) => STATUS_RANK[status] > rank).map((status) => ({ status, label: statusLabel(status) })).map((s) => h('button', {
      type: 'button',
      class: ['status-button', s.status === 'REFERRAL_STATUS_CLOSED_WON' && 'won', STATUS_RANK[s.status] === 4 && s.status !== 'REFERRAL_STATUS_CLOSED_WON' && 'closing'],
      dataset: { status: s.status },
      disabled: !!pending,
      text: s.label,
      attrs: { 'aria-label': t('app.inbox.mark', { name: state.roster.displayName(r.giver), status: s.label }) },
      on: { click: () => submitStatus(r, s.status, s.label) },
    }));
    const thank = r.status !== 'REFERRAL_STATUS_CLOSED_LOST' && r.status !== 'REFERRAL_STATUS_NOT_PURSUED'
      ? h('button', { type: 'button', class: 'link thank-link', text: t('app.inbox.thank'), on: { click: () => prefillThanks(r) } })
      : null;
    return h('li', { class: ['referral', closed && 'closed'], dataset: { name: r.name, status: r.status } },
      h('div', { class: 'referral-head' },
        h('span', { class: 'referral-from', text: t('app.inbox.from', { name: state.roster.displayName(r.giver) }) }),
        h('span', { class: ['status-badge', `status-${(r.status || '').toLowerCase()}`], text: pending ? `${statusLabel(pending)}…` : statusLabel(r.status) })),
      h('div', { class: 'referral-meta' },
        temperatureFlames(r.temperature, temperatureLabel(r.temperature)),
        h('span', { text: outside ? t('app.inbox.outside') : t('app.inbox.inside') }),
        h('span', { class: 'referral-date', text: formatDay(parseTime(r.createTime), zone, false) })),
      outside ? h('div', { class: 'referral-contact' },
        h('strong', { text: r.contactName }),
        r.contactPhone ? h('a', { href: `tel:${r.contactPhone.replace(/[^\d+]/g, '')}`, text: r.contactPhone }) : null,
        r.contactEmail ? h('a', { href: `mailto:${r.contactEmail}`, text: r.contactEmail }) : null) : null,
      r.note ? h('p', { class: 'referral-note', text: r.note }) : null,
      actions.length ? h('div', { class: 'status-actions', attrs: { role: 'group', 'aria-label': t('app.inbox.move_forward') } }, actions) : null,
      thank);
  }));
  renderThanksReferrals();
}

export function renderThanksReferrals() {
  const select = byId('thanks-referral');
  const value = select.value;
  const choices = state.inbox.filter((r) => r.status !== 'REFERRAL_STATUS_CLOSED_LOST' && r.status !== 'REFERRAL_STATUS_NOT_PURSUED');
  replaceChildren(select, [select.options[0], ...choices.map((r) => h('option', {
    value: r.name,
    text: [t('app.inbox.from', { name: state.roster.displayName(r.giver) }), r.contactName, formatDay(parseTime(r.createTime), tz(), false)]
      .filter(Boolean).join(' · '),
  }))]);
  select.value = choices.some((r) => r.name === value) ? value : '';
}

export function prefillThanks(referral) {
  renderThanksReferrals();
  byId('thanks-referral').value = referral.name;
  byId('thanks-to').value = referral.giver;
  byId('thanks-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
  byId('thanks-amount').focus({ preventScroll: true });
}
