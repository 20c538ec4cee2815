// Login page logic: posts the credentials, shows a translated error, and returns to the dashboard route the user came from.
import { applyI18n, bindLangSwitch, t, onLangChange } from './i18n.js';

const form = document.getElementById('login-form');
const errorEl = document.querySelector('[data-testid="login-error"]');
const submit = document.querySelector('[data-testid="login-submit"]');
const params = new URLSearchParams(location.search);

// The error is kept as a key so a language switch re-translates it instead of leaving the old language on screen.
let errorState = params.get('reason') === 'expired' ? { key: 'login.expired' } : null;

function renderError() {
  errorEl.hidden = !errorState;
  errorEl.textContent = errorState ? t(errorState.key, errorState.params) : '';
}

function next() {
  // Only a hash route on this origin: never an arbitrary URL from the query string.
  const n = params.get('next');
  return n && n.startsWith('#') ? `/${n}` : '/';
}

applyI18n(document);
bindLangSwitch(document.querySelector('[data-testid="lang-switch"]'));
onLangChange(renderError);
renderError();

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    errorState = { key: 'login.invalid' };
    renderError();
    return;
  }
  submit.disabled = true;
  submit.textContent = t('login.submitting');
  try {
    const res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.ok) {
      location.assign(next());
      return;
    }
    if (res.status === 401) {
      errorState = { key: 'login.invalid' };
    } else {
      const body = await res.json().catch(() => ({}));
      errorState = { key: 'login.failed', params: { message: body.message ?? `HTTP ${res.status}` } };
    }
  } catch (err) {
    errorState = { key: 'login.failed', params: { message: err.message } };
  }
  submit.disabled = false;
  submit.textContent = t('login.submit');
  renderError();
  form.password.select();
});
