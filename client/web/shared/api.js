// The JSON API of reciprocad: POST /api/{service}/{Method} with the proto3 JSON of the request.
// Every call resolves (never throws) to {ok, status, code, message, body}:
//   ok       true for a 2xx answer
//   status   the HTTP status, or 0 when the server could not be reached (or timed out)
//   code     "OK", the gRPC code name the server sent ("INVALID_ARGUMENT"), or "NETWORK"
//   message  what to show a person: the server's message in the page's language (the error's
//            google.rpc.LocalizedMessage, docs/errors.md), or a readable network error
//   body     the parsed response message (proto3 JSON), or null
// and, for an error the server sent:
//   developerMessage  its English message (the same text gRPC clients get)
//   reason            its stable reason ("SELF_REFERRAL"), from google.rpc.ErrorInfo
//   field             the request field it names ("referral.receiver"), or ""
// Requests ask for the page's language (<html lang>) with Accept-Language.

const DEFAULT_TIMEOUT_MS = 20000;

const CODE_FOR_STATUS = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export async function call(method, request, { token, timeoutMs = DEFAULT_TIMEOUT_MS, signal } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onAbort = () => controller.abort();
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  try {
    let response;
    let text;
    try {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      const lang = globalThis.document && globalThis.document.documentElement.lang;
      if (lang) headers['Accept-Language'] = lang;
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(request || {}),
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      const timedOut = controller.signal.aborted && !(signal && signal.aborted);
      return {
        ok: false,
        status: 0,
        code: 'NETWORK',
        message: timedOut ? 'The server did not answer in time' : 'Cannot reach the server',
        body: null,
      };
    }
    let body = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (response.ok) {
      return { ok: true, status: response.status, code: 'OK', message: '', body: body || {} };
    }
    const code = (body && typeof body.code === 'string' && body.code) ||
      CODE_FOR_STATUS[response.status] || `HTTP_${response.status}`;
    const developerMessage = (body && typeof body.message === 'string' && body.message) ||
      response.statusText || `HTTP ${response.status}`;
    const details = body && Array.isArray(body.details) ? body.details : [];
    const detail = (type) => details.find((d) => d && d['@type'] === `type.googleapis.com/google.rpc.${type}`) || {};
    const localized = detail('LocalizedMessage').message;
    const info = detail('ErrorInfo');
    const violations = detail('BadRequest').fieldViolations;
    const field = (Array.isArray(violations) && violations[0] && violations[0].field) ||
      (info.metadata && info.metadata.field) || '';
    return {
      ok: false,
      status: response.status,
      code,
      message: typeof localized === 'string' && localized ? localized : developerMessage,
      developerMessage,
      reason: typeof info.reason === 'string' ? info.reason : '',
      field: typeof field === 'string' ? field : '',
      body,
    };
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
}

// Worth sending again, with the same request id: the server may not have seen it, or may have
// seen it and its answer got lost. The request id makes the retry safe.
export function isRetryable(result) {
  if (result.ok) return false;
  return result.status === 0 || result.status >= 500 || result.status === 408 ||
    result.status === 429 || result.code === 'UNAVAILABLE' || result.code === 'DEADLINE_EXCEEDED';
}

// "Plugin not loaded": the panel that needs it is not shown.
export function isMissingPlugin(result) {
  return !result.ok && (result.code === 'FAILED_PRECONDITION' || result.code === 'NOT_FOUND' ||
    result.code === 'UNIMPLEMENTED' || result.status === 404);
}

// Reads every page of a List call. `field` is the repeated field of the response.
export async function listAll(method, request, field, options, maxPages = 20) {
  const items = [];
  let pageToken = '';
  for (let page = 0; page < maxPages; page += 1) {
    const result = await call(method, { ...request, pageSize: 1000, pageToken }, options);
    if (!result.ok) return { ...result, items };
    items.push(...(result.body[field] || []));
    pageToken = result.body.nextPageToken || '';
    if (!pageToken) break;
  }
  return { ok: true, status: 200, code: 'OK', message: '', body: null, items };
}

// A version 4 UUID for request ids. crypto.randomUUID needs a secure context (https or
// localhost); a phone on the chapter's LAN over plain http has only getRandomValues.
export function newRequestId() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') {
    return globalThis.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Takes parameters from the URL fragment (#token=...&chapter=...), which browsers never send to
// the server, and removes the fragment from the address bar and the history entry.
export function takeFragmentParams() {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return new URLSearchParams();
  const params = new URLSearchParams(hash);
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return params;
}

export function loadJson(key, fallback) {
  try {
    const text = window.localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}

export function saveJson(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}
