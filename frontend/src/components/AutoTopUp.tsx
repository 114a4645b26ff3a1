import { useEffect, useState } from 'preact/hooks';
import { request } from '../api';
import { AutoTopUpDocument, DisableAutoTopUpDocument, SetAutoTopUpDocument } from '../gql/graphql';
import { useAction, useQuery } from '../hooks';
import { useApp } from '../context';
import { MAX_CREDITS, parseWhole } from '../controls';
import { formatCredits } from '../format';
import { ErrorBox, Loading } from './ui';


/** Opt-in automatic bundle purchase when credits run low. */
export function AutoTopUp() {
  const { version } = useApp();
  const q = useQuery(AutoTopUpDocument, undefined, version);
  const setting = q.data?.viewer.autoTopUp ?? null;
  const offers = q.data?.bundleOffers ?? [];
  const [editing, setEditing] = useState(false);
  const [offerID, setOfferID] = useState('');
  const [below, setBelow] = useState('500');
  const [max, setMax] = useState('2');
  const [invalid, setInvalid] = useState<'below' | 'max' | null>(null);
  const save = useAction();
  const disable = useAction();

  // The form starts from the current setting (or the first offer).
  useEffect(() => {
    if (!q.data || editing) return;
    setOfferID(setting?.offer.id ?? offers[0]?.id ?? '');
    setBelow(String(setting?.belowCredits ?? 500));
    setMax(String(setting?.maxPerMonth ?? 2));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q.data]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const belowCredits = parseWhole(below, 1, MAX_CREDITS);
    const maxPerMonth = parseWhole(max, 1, 31);
    setInvalid(belowCredits == null ? 'below' : maxPerMonth == null ? 'max' : null);
    if (belowCredits == null || maxPerMonth == null || !offerID) return;
    const ok = await save.run(
      () => request(SetAutoTopUpDocument, { input: { offerID, belowCredits, maxPerMonth } }),
      "Auto top-up wasn't saved.",
    );
    if (ok) {
      setEditing(false);
      q.refetch();
    }
  };

  const showForm = q.data && (editing || !setting);
  return (
    <section class="control" aria-labelledby="topup-title" data-testid="auto-topup">
      <h3 id="topup-title" class="control__title">
        Auto top-up
      </h3>
      <p class="control__lead">Buy a bundle automatically when credits run low, so nothing stops working.</p>
      {!q.data && q.loading && <Loading label="Loading auto top-up" lines={2} />}
      {!q.data && !q.loading && <ErrorBox error={q.error} what="your auto top-up" onRetry={q.refetch} />}
      {setting && !editing && (
        <div class="topup" data-testid="auto-topup-status">
          <p>
            <span class="tag tag--on">On</span> Buys <strong>{formatCredits(setting.offer.credits)} credits</strong> for{' '}
            {setting.offer.price.formatted} when fewer than <strong>{formatCredits(setting.belowCredits)}</strong> credits are
            left, at most {setting.maxPerMonth === 1 ? 'once' : `${setting.maxPerMonth} times`} a month.
          </p>
          <p class="muted topup__count">
            {setting.purchasesThisPeriod} of {setting.maxPerMonth} automatic{' '}
            {setting.maxPerMonth === 1 ? 'purchase' : 'purchases'} used this period.
          </p>
          <div class="control__buttons">
            <button type="button" class="button button--secondary button--small" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button
              type="button"
              class="button button--secondary button--small"
              disabled={disable.busy}
              onClick={() =>
                void disable.run(() => request(DisableAutoTopUpDocument), "Auto top-up wasn't turned off.").then((ok) => {
                  if (ok) q.refetch(); // no balance moved: only this card changes
                })
              }
            >
              Turn off
            </button>
          </div>
          {disable.error && (
            <p class="inline-error" role="alert">
              {disable.error}
            </p>
          )}
        </div>
      )}
      {showForm && (
        <form class="control__form" onSubmit={(e) => void submit(e)} noValidate>
          <div class="field field--grow">
            <label for="topup-offer" class="label">
              Bundle to buy
            </label>
            <select id="topup-offer" class="input" value={offerID} onChange={(e) => setOfferID((e.target as HTMLSelectElement).value)}>
              {offers.map((o) => (
                <option key={o.id} value={o.id}>
                  {formatCredits(o.credits)} credits · {o.price.formatted}
                </option>
              ))}
            </select>
          </div>
          <div class="field field--narrow">
            <label for="topup-below" class="label">
              When fewer than
            </label>
            <span class="input-affix">
              <input
                id="topup-below"
                class="input input--affixed-end"
                inputMode="numeric"
                autoComplete="off"
                value={below}
                aria-invalid={invalid === 'below'}
                aria-describedby={`topup-below-unit${invalid === 'below' ? ' topup-error' : ''}`}
                onInput={(e) => setBelow((e.target as HTMLInputElement).value)}
              />
              <span class="input-affix__text input-affix__text--end" id="topup-below-unit">
                credits left
              </span>
            </span>
          </div>
          <div class="field field--narrow">
            <label for="topup-max" class="label">
              At most
            </label>
            <span class="input-affix">
              <input
                id="topup-max"
                class="input input--affixed-end"
                inputMode="numeric"
                autoComplete="off"
                value={max}
                aria-invalid={invalid === 'max'}
                aria-describedby={`topup-max-unit${invalid === 'max' ? ' topup-error' : ''}`}
                onInput={(e) => setMax((e.target as HTMLInputElement).value)}
              />
              <span class="input-affix__text input-affix__text--end" id="topup-max-unit">
                times a month
              </span>
            </span>
          </div>
          <div class="control__buttons">
            <button type="submit" class="button button--primary" disabled={save.busy || offers.length === 0}>
              {save.busy ? 'Saving…' : setting ? 'Save changes' : 'Turn on auto top-up'}
            </button>
            {editing && (
              <button type="button" class="button button--secondary" onClick={() => setEditing(false)}>
                Cancel
              </button>
            )}
          </div>
          {invalid && (
            <p id="topup-error" class="field-error control__form-msg" role="alert">
              {invalid === 'below' ? 'Enter a whole number of credits, 1 or more.' : 'Enter a number of purchases from 1 to 31.'}
            </p>
          )}
          {save.error && (
            <p class="inline-error control__form-msg" role="alert">
              {save.error}
            </p>
          )}
          <p class="control__hint control__form-msg">Each automatic purchase is charged like a bundle you buy yourself.</p>
        </form>
      )}
    </section>
  );
}
