// The chapter's live events: GET /api/events?chapter=...&after_seq=N as Server-Sent Events, read
// with fetch() so the Authorization header can be sent (EventSource cannot send headers).
//
// Frames:  id: <seq> / event: event / data: <reciproca.v1.Event JSON>
//          event: time  / data: {"now": "<RFC 3339 server clock>"}     about every second
//          event: error / data: {"code": "...", "message": "..."}      then the stream ends
//
// The stream resumes after a drop (server restart, network loss) from the last seq it delivered,
// with a backoff of 0.5 s doubling to 5 s. Events at or below the last delivered seq are dropped,
// so a consumer never sees one twice.

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 5000;
// The server sends a time frame about every second: this long without any byte means the
// connection is dead even if TCP has not noticed yet.
const STALL_MS = 6000;
// Codes after which trying again cannot help.
const FATAL_CODES = new Set(['UNAUTHENTICATED', 'PERMISSION_DENIED', 'NOT_FOUND', 'INVALID_ARGUMENT',
  'OUT_OF_RANGE']);

export function parseTime(text) {
  if (!text) return NaN;
  // Date.parse is only specified for milliseconds: trim nanoseconds ("...28.123456789Z").
  const trimmed = String(text).replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(trimmed);
}

export class EventStream {
  // options: chapter, token, afterSeq, onEvent(event), onTime(serverMillis),
  //          onStatus(state, detail) with state "connecting" | "live" | "retrying" | "failed",
  //          onFatal({code, message})
  constructor(options) {
    this.chapter = options.chapter;
    this.token = options.token;
    this.lastSeq = Number(options.afterSeq || 0);
    this.onEvent = options.onEvent || (() => {});
    this.onTime = options.onTime || (() => {});
    this.onStatus = options.onStatus || (() => {});
    this.onFatal = options.onFatal || (() => {});
    this.stopped = true;
    this.controller = null;
    this.wakeUp = null;
    this.connects = 0;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop();
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
    if (this.wakeUp) this.wakeUp();
  }

  // Skips the wait before the next attempt (the browser says it is online again).
  retryNow() {
    if (this.wakeUp) this.wakeUp();
  }

  async loop() {
    let backoff = MIN_BACKOFF_MS;
    while (!this.stopped) {
      this.onStatus('connecting', { attempt: this.connects });
      const outcome = await this.connectOnce();
      if (this.stopped) return;
      if (outcome.fatal) {
        this.stopped = true;
        this.onStatus('failed', outcome.fatal);
        this.onFatal(outcome.fatal);
        return;
      }
      if (outcome.received) backoff = MIN_BACKOFF_MS;
      this.onStatus('retrying', { delayMs: backoff, reason: outcome.reason || '' });
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  // One connection: resolves when it ends, with {received, fatal, reason}.
  async connectOnce() {
    const controller = new AbortController();
    this.controller = controller;
    this.connects += 1;
    let received = false;
    let stallTimer = null;
    const armStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => controller.abort(), STALL_MS);
    };
    try {
      armStall();
      const url = `/api/events?chapter=${encodeURIComponent(this.chapter)}&after_seq=${this.lastSeq}`;
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' },
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
      if (!response.ok) {
        let error = { code: `HTTP_${response.status}`, message: response.statusText };
        try {
          const body = await response.json();
          if (body && body.code) error = { code: body.code, message: body.message || '' };
        } catch {
          // not JSON: keep the status line
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408 &&
            response.status !== 429) {
          return { received, fatal: error };
        }
        return { received, reason: error.message };
      }
      this.onStatus('live', {});
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armStall();
        buffer += value;
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          const result = this.dispatch(frame);
          if (result === 'event' || result === 'time') received = true;
          if (result && result.fatal) {
            controller.abort();
            return { received, fatal: result.fatal };
          }
          if (result && result.error) {
            controller.abort();
            return { received, reason: result.error.message };
          }
        }
      }
      return { received, reason: 'the stream ended' };
    } catch (error) {
      return { received, reason: 'cannot reach the server' };
    } finally {
      clearTimeout(stallTimer);
      if (this.controller === controller) this.controller = null;
    }
  }

  dispatch(frame) {
    let type = 'message';
    const data = [];
    for (const line of frame.split(/\r?\n/)) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return null;
    let payload;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return null;
    }
    if (type === 'event') {
      const seq = Number(payload.seq || 0);
      if (!(seq > this.lastSeq)) return null; // already delivered
      this.lastSeq = seq;
      try {
        this.onEvent(payload);
      } catch (error) {
        // A consumer's bug must not stop the stream; it is reported where it can be seen.
        setTimeout(() => { throw error; });
      }
      return 'event';
    }
    if (type === 'time') {
      const now = parseTime(payload.now);
      if (Number.isFinite(now)) this.onTime(now);
      return 'time';
    }
    if (type === 'error') {
      const error = { code: payload.code || 'UNKNOWN', message: payload.message || '' };
      if (FATAL_CODES.has(error.code)) return { fatal: error };
      return { error };
    }
    return null;
  }
}

// The server's clock, from the time frames, interpolated with the browser's monotonic clock.
// Each frame's time is at most the true server time (it left the server before it arrived), so
// the largest offset over recent frames is the best estimate; it follows the server when its
// clock is set back after a while.
export class ServerClock {
  constructor() {
    this.samples = [];
    this.offset = null; // server millis - performance.now()
  }

  sample(serverMillis) {
    const local = performance.now();
    this.samples.push({ offset: serverMillis - local, at: local });
    while (this.samples.length > 20) this.samples.shift();
    this.offset = Math.max(...this.samples.map((s) => s.offset));
  }

  get synced() {
    return this.offset !== null;
  }

  // Server time in epoch milliseconds (the browser's clock until the first frame).
  now() {
    if (this.offset === null) return Date.now();
    return performance.now() + this.offset;
  }
}
