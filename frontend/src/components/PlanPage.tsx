import { BalanceDocument } from '../gql/graphql';
import { useApp } from '../context';
import { useQuery } from '../hooks';
import { formatCredits, formatDate } from '../format';
import { Card, ErrorBox, Loading } from './ui';

export function PlanPage() {
  const { viewer, version } = useApp();
  const q = useQuery(BalanceDocument, undefined, version);
  const b = q.data?.creditBalance;
  return (
    <div class="grid">
      <Card id="plan-title" title="Your plan" class="card--wide">
        {!viewer ? (
          <Loading label="Loading your plan" />
        ) : (
          <dl class="stats">
            <div>
              <dt>Plan</dt>
              <dd data-testid="plan-name">{viewer.plan.name}</dd>
            </div>
            <div>
              <dt>AI credits each month</dt>
              <dd>{formatCredits(viewer.plan.monthlyCredits)}</dd>
            </div>
            <div>
              <dt>Value of one credit</dt>
              <dd>≈ {viewer.plan.creditValue.formatted}</dd>
            </div>
            <div>
              <dt>Current period</dt>
              {b ? (
                <dd class="stats__date">
                  {formatDate(b.periodStart)} – {formatDate(b.periodEnd)}
                </dd>
              ) : q.loading ? (
                <dd class="stats__date">Loading…</dd>
              ) : (
                <dd class="stats__date">
                  <ErrorBox error={q.error} what="the billing period" onRetry={q.refetch} />
                </dd>
              )}
            </div>
          </dl>
        )}
      </Card>
    </div>
  );
}
