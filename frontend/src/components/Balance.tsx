import { BalanceDocument } from '../gql/graphql';
import { useFlash, useQuery } from '../hooks';
import { useApp } from '../context';
import { formatCredits, formatPercent } from '../format';
import { runwayForecast } from '../forecast';
import { clampPercent, isLowBalance } from '../state';
import { Card, ErrorBox, Loading } from './ui';
import { IconTrend, IconWarn } from './icons';

export function BalanceCard() {
  const { version, openBuy } = useApp();
  const q = useQuery(BalanceDocument, undefined, version);
  const b = q.data?.creditBalance;
  const updated = useFlash(b ? `${b.remaining}/${b.allowance}/${b.used}` : null);

  let body;
  if (!b && q.loading) body = <Loading label="Loading your credit balance" lines={4} />;
  else if (!b) body = <ErrorBox error={q.error} what="your balance" onRetry={q.refetch} />;
  else {
    const low = isLowBalance(b);
    const pct = clampPercent(b.usedPercent);
    const forecast = runwayForecast(b.runway, b.periodEnd);
    const leftPct = b.allowance > 0 ? (b.remaining / b.allowance) * 100 : 0;
    body = (
      <div class="balance" data-testid="balance">
        <p class="balance__figure">
          <span class="balance__remaining" data-testid="balance-remaining">
            {formatCredits(b.remaining)}
          </span>
          <span class="balance__allowance" data-testid="balance-allowance">
            {' / '}
            {formatCredits(b.allowance)}
          </span>
          <span class="visually-hidden"> credits left</span>
        </p>
        <p class="balance__value">
          <span data-testid="balance-value">≈ {b.remainingValue.formatted}</span> in credits left
        </p>

        <div class="progress-row">
          <span id="usage-progress-label">{formatPercent(b.usedPercent)} used</span>
          <span class="muted">{formatCredits(b.used)} credits this period</span>
        </div>
        <div
          class={`progress ${low ? 'progress--low' : ''}`}
          role="progressbar"
          aria-labelledby="usage-progress-label"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(pct * 10) / 10}
          aria-valuetext={`${formatPercent(b.usedPercent)} of your credits used`}
          data-testid="usage-progress"
        >
          <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="progress__fill" x="0" y="0" height="10" width={pct} />
          </svg>
        </div>

        {low && (
          <div class="warning" role="status" data-testid="low-balance">
            <IconWarn class="warning__icon" />
            <div>
              <p class="warning__title">You're running low on credits</p>
              <p>
                Only {formatPercent(leftPct)} of your credits are left. Top up now so images, videos, chat and agents keep
                working.
              </p>
              <button type="button" class="button button--warning button--small" onClick={openBuy}>
                Buy credits
              </button>
            </div>
          </div>
        )}

        <dl class="breakdown">
          <div class="breakdown__item">
            <dt>
              <span class="dot dot--plan" aria-hidden="true" />
              Included in your plan
            </dt>
            <dd data-testid="plan-included">{formatCredits(b.planIncluded)}</dd>
            <dd class="breakdown__sub">{formatCredits(b.planRemaining)} left</dd>
          </div>
          <div class="breakdown__item">
            <dt>
              <span class="dot dot--bundle" aria-hidden="true" />
              From purchased bundles
            </dt>
            <dd data-testid="bundle-credits">{formatCredits(b.bundleCredits)}</dd>
            <dd class="breakdown__sub">
              {b.bundleCredits > 0 ? `${formatCredits(b.bundleRemaining)} left` : 'None bought yet'}
            </dd>
          </div>
        </dl>
        <p class={`forecast forecast--${forecast.tone}`} data-testid="runway" data-tone={forecast.tone}>
          <IconTrend class="forecast__icon" />
          <span>{forecast.text}</span>
        </p>
        <p class="reset-note">Unused plan credits don't carry over at the reset; bundle credits do.</p>
      </div>
    );
  }
  return (
    <Card id="balance-title" title="Credits remaining" class="card--balance" updated={updated}>
      {body}
    </Card>
  );
}
