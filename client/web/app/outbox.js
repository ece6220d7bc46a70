// The phone's outbox: every submission is stored on the phone (localStorage) with its request id
// before it is sent, and stays there until the server answers it.
//
//   - 2xx: recorded; removed.
//   - 4xx: refused; removed and reported with the server's message (nothing was recorded).
//   - no answer, 5xx, UNAVAILABLE: kept, and sent again later with the SAME request id, so the
//     server records it once even when an earlier attempt did land and only its answer was lost.
//
// Items are sent one at a time, oldest first. Retries happen after a backoff (1 s doubling to
// 15 s), when the browser comes back online, when the event stream reconnects, and on page load.

import { call, isRetryable, newRequestId } from '/shared/api.js';

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 15000;

export class Outbox {
  // options: storageKey, token, onChange(items), onSent(item, body), onRejected(item, result),
  //          onDeferred(item, result)  (once per item, when it has to wait for a retry)
  constructor(options) {
    this.storageKey = options.storageKey;
    this.token = options.token;
    this.onChange = options.onChange || (() => {});
    this.onSent = options.onSent || (() => {});
    this.onRejected = options.onRejected || (() => {});
    this.onDeferred = options.onDeferred || (() => {});
    this.sending = false;
    this.timer = null;
    this.items = this.load();
    for (const item of this.items) item.state = 'queued'; // a page closed while sending
    window.addEventListener('storage', (event) => {
      if (event.key === this.storageKey) {
        this.items = this.load();
        this.onChange(this.items);
      }
    });
  }

  load() {
    try {
      const items = JSON.parse(window.localStorage.getItem(this.storageKey) || '[]');
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  }

  save() {
    try {
      window.localStorage.setItem(this.storageKey, JSON.stringify(this.items));
    } catch {
      // Storage full or disabled: the items stay in memory for this page.
    }
    this.onChange(this.items);
  }

  // Adds a submission and starts sending it. `request` is the API request without request id.
  // Returns the item (item.id is the request id).
  add({ method, request, label, form }) {
    const id = newRequestId();
    const item = {
      id,
      method,
      request: { ...request, requestId: id },
      label,
      form: form || '',
      // Sent with the token it was made with, even if the phone signs in as someone else.
      token: this.token,
      createdAt: Date.now(),
      attempts: 0,
      nextAt: 0,
      lastError: '',
      state: 'queued',
    };
    // Behind an item that waits for a retry, it waits too.
    if (this.items.some((i) => i.state === 'waiting')) item.deferred = true;
    this.items.push(item);
    this.save();
    this.kick();
    return item;
  }

  // Sends what is due now; `force` makes every waiting item due (back online, server back).
  kick(force = false) {
    if (force) for (const item of this.items) item.nextAt = 0;
    this.pump();
  }

  async pump() {
    if (this.sending) return;
    this.sending = true;
    clearTimeout(this.timer);
    try {
      for (;;) {
        const item = this.items[0];
        if (!item || item.nextAt > Date.now()) break;
        item.state = 'sending';
        item.attempts += 1;
        this.save();
        const result = await call(item.method, item.request, { token: item.token || this.token });
        if (result.ok) {
          this.remove(item.id);
          this.onSent(item, result.body);
        } else if (isRetryable(result)) {
          item.state = 'waiting';
          item.lastError = result.message;
          item.nextAt = Date.now() + Math.min(MIN_BACKOFF_MS * 2 ** (item.attempts - 1), MAX_BACKOFF_MS);
          // Everything in the queue now waits for this one: each is reported once as waiting.
          const stalled = this.items.filter((i) => !i.deferred);
          for (const i of stalled) i.deferred = true;
          this.save();
          for (const i of stalled) this.onDeferred(i, result);
          break; // keep the order: nothing after it goes first
        } else {
          this.remove(item.id);
          this.onRejected(item, result);
        }
      }
    } finally {
      this.sending = false;
      this.schedule();
    }
  }

  schedule() {
    clearTimeout(this.timer);
    const next = this.items[0];
    if (!next) return;
    const delay = Math.max(0, next.nextAt - Date.now());
    this.timer = setTimeout(() => this.pump(), delay);
  }

  remove(id) {
    this.items = this.items.filter((i) => i.id !== id);
    this.save();
  }
}
