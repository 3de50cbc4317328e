import { useState } from 'preact/hooks';
import { changePassword, currentSession, login, logout } from '../api';
import { ErrorBox } from '../ui';

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <main class="auth" id="main">
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Coldchain — log in</h1>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error !== undefined && <ErrorBox error={error} />}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}

/** Shown while the API answers 403 `password_change_required` (a temporary password). */
export function ChangePasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (next !== confirm) {
      setError(new Error('The two new passwords differ.'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await changePassword(current, next);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <main class="auth" id="main">
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="cp-title">
        <h1 id="cp-title">Choose a new password</h1>
        <p>{currentSession()?.email} logged in with a temporary password: choose your own before going on.</p>
        <label>
          Temporary password
          <input
            type="password"
            name="currentPassword"
            autoComplete="current-password"
            required
            autoFocus
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        </label>
        <label>
          New password
          <input
            type="password"
            name="newPassword"
            autoComplete="new-password"
            required
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
        </label>
        <label>
          New password again
          <input
            type="password"
            name="confirmPassword"
            autoComplete="new-password"
            required
            value={confirm}
            onInput={(e) => setConfirm(e.currentTarget.value)}
          />
        </label>
        {error !== undefined && <ErrorBox error={error} />}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            Change password
          </button>
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </form>
    </main>
  );
}
