// Thin client for the box's /api/v1: JSON in and out, coded errors, and any 401 sends the user to the login page.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Where to come back to after logging in: the dashboard route the user was on. */
export function loginUrl(reason) {
  const params = new URLSearchParams();
  if (location.hash && location.hash !== '#') params.set('next', location.hash);
  if (reason) params.set('reason', reason);
  const q = params.toString();
  return `/login.html${q ? `?${q}` : ''}`;
}

let redirecting = false;
let hadSession = false;

/** Called once /auth/me answered: from then on a 401 means the session ended, which the login page says. */
export function markSession() {
  hadSession = true;
}

export function toLogin(reason = hadSession ? 'expired' : null) {
  if (redirecting) return;
  redirecting = true;
  location.assign(loginUrl(reason));
}

export async function api(path, { method = 'GET', body } = {}) {
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err.message);
  }
  if (res.status === 401) {
    toLogin();
    throw new ApiError(401, 'OUTPOST_AUTH_REQUIRED', 'login required');
  }
  const data = await readBody(res);
  if (!res.ok) {
    const code = data?.code ?? `HTTP_${res.status}`;
    const msg = data?.message ?? res.statusText;
    throw new ApiError(res.status, code, msg);
  }
  return data;
}

/** Same query string shape for every list route; undefined values are left out. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A response body as JSON when it is JSON, else its text (null when empty): shared with the engineer app. */
export async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
