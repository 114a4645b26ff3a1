import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../api';
import { SetHourlyRateDocument } from '../gql/graphql';
import { useAction } from '../hooks';
import { parseDollars } from '../controls';

/**
 * The hourly rate that values the time agents save, with an inline form to
 * change it.
 */
export function HourlyRate({ rate, onSaved }: { rate: { amount: string; formatted: string }; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(rate.amount);
  const save = useAction();
  const { busy, error, setError } = save;
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) input.current?.focus();
    else if (wasEditing.current) opener.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  if (!editing) {
    return (
      <p class="rate-line" data-testid="hourly-rate">
        Time saved is valued at <strong>{rate.formatted} an hour</strong> of manual work.{' '}
        <button
          ref={opener}
          type="button"
          class="link-button"
          onClick={() => {
            setValue(rate.amount);
            setError(null);
            setEditing(true);
          }}
        >
          Change rate
        </button>
      </p>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    const amount = parseDollars(value);
    if (amount == null) {
      setError('Enter an amount in dollars between 0 and 100,000, like 62.50.');
      return;
    }
    if (await save.run(() => request(SetHourlyRateDocument, { amount }), "The rate wasn't saved.")) {
      setEditing(false);
      onSaved();
    }
  };

  return (
    <form class="inline-form rate-form" onSubmit={(e) => void submit(e)} noValidate>
      <label for="hourly-rate" class="label">
        Value of an hour of manual work
      </label>
      <div class="inline-form__row">
        <span class="input-affix">
          <span class="input-affix__text" aria-hidden="true">
            $
          </span>
          <input
            id="hourly-rate"
            class="input input--affixed"
            inputMode="decimal"
            autoComplete="off"
            value={value}
            aria-invalid={!!error}
            aria-describedby={error ? 'hourly-rate-error' : undefined}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            ref={input}
          />
        </span>
        <button type="submit" class="button button--primary button--small" disabled={busy}>
          {busy ? 'Saving…' : 'Save rate'}
        </button>
        <button type="button" class="button button--secondary button--small" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
      {error && (
        <p id="hourly-rate-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
