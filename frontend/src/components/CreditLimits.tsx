import { useState } from 'preact/hooks';
import { request } from '../api';
import { CreditLimitsDocument, RemoveCreditLimitDocument, SetCreditLimitDocument } from '../gql/graphql';
import { useAction, useQuery } from '../hooks';
import { useApp } from '../context';
import { MAX_CREDITS, decodeTarget, encodeTarget, limitTargetLabel, parseWhole } from '../controls';
import { CATEGORIES, categoryLabel, formatCredits, formatPercent } from '../format';
import { clampPercent } from '../state';
import { ErrorBox, Loading } from './ui';


function UsedBar({ used, cap, hard }: { used: number; cap: number; hard: boolean }) {
  const pct = cap > 0 ? (used / cap) * 100 : 0;
  const tone = pct >= 100 ? 'full' : pct >= 80 ? 'near' : 'ok';
  return (
    <svg class={`limit-bar limit-bar--${tone}${hard ? ' limit-bar--hard' : ''}`} viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class="limit-bar__track" x="0" y="0" width="100" height="6" />
      <rect class="limit-bar__fill" x="0" y="0" width={clampPercent(pct)} height="6" />
    </svg>
  );
}

/** Monthly caps per category or agent: what is used under each, and a form. */
export function CreditLimits() {
  const { version } = useApp();
  const q = useQuery(CreditLimitsDocument, undefined, version);
  const limits = q.data?.viewer.creditLimits;
  const agents = (q.data?.agents.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const [target, setTarget] = useState(encodeTarget({ category: 'IMAGE' }));
  const [amount, setAmount] = useState('');
  const [hard, setHard] = useState(true);
  const [invalid, setInvalid] = useState(false);
  const save = useAction();
  const remove = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    const t = decodeTarget(target);
    const monthlyCredits = parseWhole(amount, 1, MAX_CREDITS);
    setInvalid(monthlyCredits == null);
    if (!t || monthlyCredits == null) return;
    const ok = await save.run(
      () => request(SetCreditLimitDocument, { input: { ...t, monthlyCredits, hard } }),
      "The limit wasn't saved.",
    );
    if (ok) {
      setAmount('');
      q.refetch();
    }
  };

  return (
    <section class="control" aria-labelledby="limits-title" data-testid="credit-limits">
      <h3 id="limits-title" class="control__title">
        Monthly credit limits
      </h3>
      <p class="control__lead">
        A hard limit blocks the charge that would cross it; a soft one lets it through and raises an alert.
      </p>
      {!limits && q.loading && <Loading label="Loading credit limits" lines={2} />}
      {!limits && !q.loading && <ErrorBox error={q.error} what="your credit limits" onRetry={q.refetch} />}
      {limits && limits.length === 0 && <p class="control__empty">No limits set. Features and agents can use any credits you have.</p>}
      {limits && limits.length > 0 && (
        <ul class="control__list">
          {limits.map((l) => {
            const name = limitTargetLabel(l);
            return (
              <li key={l.id} class="control__item control__item--limit" data-limit-id={l.id} data-hard={l.hard}>
                <div class="limit">
                  <p class="limit__head">
                    <span class="limit__name">{name}</span>
                    <span class={`tag ${l.hard ? 'tag--hard' : 'tag--soft'}`}>{l.hard ? 'Hard' : 'Soft'}</span>
                  </p>
                  <p class="limit__figures" data-field="used">
                    {formatCredits(l.used)} / {formatCredits(l.monthlyCredits)} credits
                    <span class="muted"> · {formatPercent(l.monthlyCredits > 0 ? (l.used / l.monthlyCredits) * 100 : 0)}</span>
                  </p>
                  <UsedBar used={l.used} cap={l.monthlyCredits} hard={l.hard} />
                </div>
                <button
                  type="button"
                  class="button button--secondary button--small"
                  disabled={remove.busy}
                  aria-label={`Remove the limit on ${name}`}
                  onClick={() =>
                    void remove
                      .run(() => request(RemoveCreditLimitDocument, { id: l.id }), "The limit wasn't removed.")
                      .then((ok) => ok && q.refetch())
                  }
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {remove.error && (
        <p class="inline-error" role="alert">
          {remove.error}
        </p>
      )}

      <form class="control__form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for="limit-target" class="label">
            Limit
          </label>
          <select id="limit-target" class="input" value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
            <optgroup label="Features">
              {CATEGORIES.map((c) => (
                <option key={c} value={encodeTarget({ category: c })}>
                  {c === 'AGENT' ? 'All agents' : categoryLabel(c)}
                </option>
              ))}
            </optgroup>
            {agents.length > 0 && (
              <optgroup label="One agent">
                {agents.map((a) => (
                  <option key={a.id} value={encodeTarget({ agentID: a.id })}>
                    {a.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        <div class="field field--narrow">
          <label for="limit-amount" class="label">
            Credits a month
          </label>
          <input
            id="limit-amount"
            class="input"
            inputMode="numeric"
            autoComplete="off"
            placeholder="e.g. 1,000"
            value={amount}
            aria-invalid={invalid}
            aria-describedby={invalid ? 'limit-amount-error' : undefined}
            onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
          />
        </div>
        <fieldset class="field choice">
          <legend class="label">When it's reached</legend>
          <label class="choice__option">
            <input type="radio" name="limit-kind" checked={hard} onChange={() => setHard(true)} />
            Block further charges (hard)
          </label>
          <label class="choice__option">
            <input type="radio" name="limit-kind" checked={!hard} onChange={() => setHard(false)} />
            Only alert me (soft)
          </label>
        </fieldset>
        <button type="submit" class="button button--primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Set limit'}
        </button>
        {invalid && (
          <p id="limit-amount-error" class="field-error control__form-msg" role="alert">
            Enter a whole number of credits, 1 or more.
          </p>
        )}
        {save.error && (
          <p class="inline-error control__form-msg" role="alert">
            {save.error}
          </p>
        )}
        <p class="control__hint control__form-msg">Setting a limit on something that already has one replaces it.</p>
      </form>
    </section>
  );
}
