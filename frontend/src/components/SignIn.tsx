import { useState } from 'preact/hooks';
import { IconLogo } from './icons';

interface Props {
  error: string | null;
  busy: boolean;
  demoAvailable: boolean;
  onSubmit: (key: string) => void;
  onDemo: () => void;
}

export function SignIn({ error, busy, demoAvailable, onSubmit, onDemo }: Props) {
  const [key, setKey] = useState('');
  const [touched, setTouched] = useState(false);
  const empty = key.trim() === '';
  return (
    <main class="signin" id="main">
      <div class="signin__card">
        <div class="signin__brand">
          <IconLogo />
          <span>Vista Social</span>
        </div>
        <h1 class="signin__title">Sign in to see your AI usage</h1>
        <p class="signin__lead">Enter the API key of your account. It's kept only for this browser tab and forgotten when you close it.</p>
        <form
          class="signin__form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (!empty) onSubmit(key.trim());
          }}
        >
          <label for="api-key" class="label">
            API key
          </label>
          <input
            id="api-key"
            name="apiKey"
            type="password"
            class="input"
            autoComplete="off"
            spellcheck={false}
            value={key}
            aria-invalid={!!error || (touched && empty)}
            aria-describedby={error ? 'signin-error' : touched && empty ? 'signin-empty' : undefined}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          />
          {touched && empty && !error && (
            <p id="signin-empty" class="field-error" role="alert">
              Enter your API key to continue.
            </p>
          )}
          {error && (
            <p id="signin-error" class="field-error" role="alert" data-testid="signin-error">
              {error}
            </p>
          )}
          <button type="submit" class="button button--primary button--block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {demoAvailable && (
          <p class="signin__demo">
            Just looking around?{' '}
            <button type="button" class="link-button" onClick={onDemo} disabled={busy}>
              Use the demo account
            </button>
          </p>
        )}
      </div>
    </main>
  );
}
