import { useState, type FormEvent } from 'react';
import { ApiError, createApiClient } from '../api/client.ts';
import { login, type Session } from '../api/session.ts';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';

export function LoginScreen({ onLoggedIn }: { onLoggedIn(session: Session): void }) {
  const { t, language } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onLoggedIn(await login(createApiClient({ token: null, language }), username, password));
    } catch (e) {
      if (e instanceof ApiError && e.routeMissing) setFailure(t('login.unavailable'));
      else setFailure(t('login.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <form className="login" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <div className="login-head">
          <h1>{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        <h2>{t('login.title')}</h2>
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {failure && (
          <p className="alarm" role="alert" data-testid="login-error">
            {failure}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="login-submit">
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
