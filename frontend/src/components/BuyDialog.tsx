import { useMemo, useState } from 'preact/hooks';
import { newIdempotencyKey, request } from '../api';
import { BundleOffersDocument, PurchaseBundleDocument, type PurchaseBundleMutation } from '../gql/graphql';
import { humanError } from '../errors';
import { useQuery } from '../hooks';
import { formatCredits, formatUnitPrice, savingPercent } from '../format';
import { singleFlight } from '../state';
import { Modal } from './Modal';
import { ErrorBox, Loading } from './ui';
import { IconCheck } from './icons';

type Result = PurchaseBundleMutation['purchaseBundle'];

export function BuyDialog({ onClose, onPurchased }: { onClose: () => void; onPurchased: (r: Result) => void }) {
  const q = useQuery(BundleOffersDocument, undefined);
  const [busyOffer, setBusyOffer] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Result | null>(null);

  // One purchase at a time: extra clicks while a purchase is in flight are ignored.
  const buy = useMemo(
    () =>
      singleFlight(async (offerID: string) => {
        setBusyOffer(offerID);
        setError(null);
        try {
          const d = await request(PurchaseBundleDocument, {
            input: { offerID, idempotencyKey: newIdempotencyKey() },
          });
          setDone(d.purchaseBundle);
          onPurchased(d.purchaseBundle);
        } catch (e) {
          setError(`The purchase didn't go through. ${humanError(e)}`);
        } finally {
          setBusyOffer(null);
        }
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const offers = q.data?.bundleOffers;
  const reference = offers ? Math.max(0, ...offers.map((o) => Number(o.pricePerCredit.amount))) : 0;
  const saving = (o: { pricePerCredit: { amount: string } }) => savingPercent(Number(o.pricePerCredit.amount), reference);
  let body;
  if (done) {
    body = (
      <div class="success" role="status" data-testid="purchase-success">
        <div class="success__icon">
          <IconCheck />
        </div>
        <p class="success__title">{formatCredits(done.bundle.credits)} credits added</p>
        <p>
          You paid {done.bundle.price.formatted}. Your balance is now{' '}
          <strong>{formatCredits(done.balance.remaining)} credits</strong>.
        </p>
        <button type="button" class="button button--primary" data-autofocus onClick={onClose}>
          Done
        </button>
      </div>
    );
  } else if (!offers && q.loading) body = <Loading label="Loading bundles" lines={3} />;
  else if (!offers) body = <ErrorBox error={q.error} what="the bundles" onRetry={q.refetch} />;
  else if (offers.length === 0) body = <p class="muted">No bundles are on offer right now. Please check back later.</p>;
  else
    body = (
      <>
        <ul class="offers" data-testid="offers">
          {offers.map((o) => {
            const busy = busyOffer === o.id;
            return (
              <li key={o.id} class="offer" data-offer-id={o.id} data-credits={o.credits}>
                <div class="offer__main">
                  <p class="offer__credits">
                    {formatCredits(o.credits)} credits
                    {o.name !== `${formatCredits(o.credits)} credits` && <span class="offer__name">{o.name}</span>}
                  </p>
                  <p class="offer__meta">
                    <span data-field="unit-price">{formatUnitPrice(o.pricePerCredit.amount)}</span> per credit
                    {saving(o) > 0 && <span class="badge">Save {saving(o)}%</span>}
                  </p>
                </div>
                <p class="offer__price">{o.price.formatted}</p>
                <button
                  type="button"
                  class="button button--primary"
                  disabled={busyOffer !== null}
                  aria-busy={busy}
                  aria-label={`Buy ${formatCredits(o.credits)} credits for ${o.price.formatted}`}
                  onClick={() => void buy(o.id)}
                >
                  {busy ? 'Buying…' : 'Buy'}
                </button>
              </li>
            );
          })}
        </ul>
        {error && (
          <p class="inline-error" role="alert" data-testid="purchase-error">
            {error}
          </p>
        )}
        <p class="fine-print">Bundle credits are added right away and don't expire at the end of the month. They're used after your plan credits.</p>
      </>
    );

  return (
    <Modal labelId="buy-title" title="Buy a credits bundle" subtitle="Top up your balance with extra credits." onClose={onClose}>
      {body}
    </Modal>
  );
}
