import { useState } from 'preact/hooks';
import { request } from '../api';
import { AlertRulesDocument, CreateAlertRuleDocument, DeleteAlertRuleDocument, type AlertKind } from '../gql/graphql';
import { useAction, useQuery } from '../hooks';
import { ALERT_KINDS, alertRuleLabel, parseWhole, thresholdSpec } from '../controls';
import { ErrorBox, Loading } from './ui';

/** The account's alert rules, and a form to add one. */
export function AlertRules() {
  const q = useQuery(AlertRulesDocument, undefined);
  const rules = q.data?.viewer.alertRules;
  const [kind, setKind] = useState<AlertKind>('USED_PERCENT');
  const [threshold, setThreshold] = useState(String(thresholdSpec('USED_PERCENT').initial));
  const [invalid, setInvalid] = useState(false);
  const add = useAction();
  const remove = useAction();
  const spec = thresholdSpec(kind);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = spec.unit ? parseWhole(threshold, spec.min, spec.max) : 0;
    setInvalid(value == null);
    if (value == null) return;
    const ok = await add.run(
      () => request(CreateAlertRuleDocument, { input: { kind, threshold: value } }),
      "The alert wasn't added.",
    );
    if (ok) q.refetch();
  };

  return (
    <section class="control" aria-labelledby="alert-rules-title" data-testid="alert-rules">
      <h3 id="alert-rules-title" class="control__title">
        Alerts
      </h3>
      <p class="control__lead">Checked after every charge; each alert is raised at most once per billing period.</p>
      {!rules && q.loading && <Loading label="Loading alert rules" lines={2} />}
      {!rules && !q.loading && <ErrorBox error={q.error} what="your alert rules" onRetry={q.refetch} />}
      {rules && rules.length === 0 && <p class="control__empty">No alerts set up yet.</p>}
      {rules && rules.length > 0 && (
        <ul class="control__list">
          {rules.map((r) => (
            <li key={r.id} class="control__item" data-rule-id={r.id} data-kind={r.kind}>
              <span class="control__item-main">{alertRuleLabel(r.kind, r.threshold)}</span>
              <button
                type="button"
                class="button button--secondary button--small"
                disabled={remove.busy}
                aria-label={`Delete alert: ${alertRuleLabel(r.kind, r.threshold)}`}
                onClick={() =>
                  void remove
                    .run(() => request(DeleteAlertRuleDocument, { id: r.id }), "The alert wasn't deleted.")
                    .then((ok) => ok && q.refetch())
                }
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {remove.error && (
        <p class="inline-error" role="alert">
          {remove.error}
        </p>
      )}

      <form class="control__form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for="alert-kind" class="label">
            Alert me when
          </label>
          <select
            id="alert-kind"
            class="input"
            value={kind}
            onChange={(e) => {
              const k = (e.target as HTMLSelectElement).value as AlertKind;
              setKind(k);
              setThreshold(String(thresholdSpec(k).initial));
              setInvalid(false);
            }}
          >
            {ALERT_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.option}
              </option>
            ))}
          </select>
        </div>
        {spec.unit && (
          <div class="field field--narrow">
            <label for="alert-threshold" class="label">
              Threshold
            </label>
            <span class="input-affix">
              <input
                id="alert-threshold"
                class="input input--affixed-end"
                inputMode="numeric"
                autoComplete="off"
                value={threshold}
                aria-invalid={invalid}
                aria-describedby={`alert-threshold-unit${invalid ? ' alert-threshold-error' : ''}`}
                onInput={(e) => setThreshold((e.target as HTMLInputElement).value)}
              />
              <span class="input-affix__text input-affix__text--end" id="alert-threshold-unit">
                {spec.unit}
              </span>
            </span>
          </div>
        )}
        <button type="submit" class="button button--primary" disabled={add.busy}>
          {add.busy ? 'Adding…' : 'Add alert'}
        </button>
        {invalid && (
          <p id="alert-threshold-error" class="field-error control__form-msg" role="alert">
            Enter a whole number from {spec.min.toLocaleString('en-US')} to {spec.max.toLocaleString('en-US')}.
          </p>
        )}
        {add.error && (
          <p class="inline-error control__form-msg" role="alert">
            {add.error}
          </p>
        )}
      </form>
    </section>
  );
}
