import { useState } from 'preact/hooks';
import { DailyUsageDocument } from '../gql/graphql';
import { useFlash, useQuery } from '../hooks';
import { useApp } from '../context';
import { CATEGORIES, categoryLabel, creditsLabel, formatCredits, formatShortDate } from '../format';
import { exportRange } from '../download';
import { historySummary } from '../chart';
import { Card, Empty, ErrorBox, Loading } from './ui';
import { IconChart } from './icons';
import { HistoryChart, type Day } from './HistoryChart';
import { ExportButton } from './ExportButton';

const RANGES = [30, 90] as const;
type Range = (typeof RANGES)[number];

function RangeSwitch({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  return (
    <div class="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button
          key={r}
          type="button"
          class="segmented__option"
          aria-pressed={value === r}
          onClick={() => onChange(r)}
          data-range={r}
        >
          {r} days
        </button>
      ))}
    </div>
  );
}

function Legend() {
  return (
    <ul class="legend" aria-hidden="true">
      {CATEGORIES.map((c) => (
        <li key={c}>
          <span class={`swatch cat--${c.toLowerCase()}`} />
          {categoryLabel(c)}
        </li>
      ))}
    </ul>
  );
}

/** The same figures as the chart, for anyone who prefers a table. */
function HistoryTable({ days }: { days: Day[] }) {
  return (
    <details class="hist__table">
      <summary>Show the figures as a table</summary>
      <div class="table-wrap">
        <table data-testid="history-table">
          <caption class="visually-hidden">Credits used per day and category, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {CATEGORIES.map((c) => (
                <th key={c} scope="col" class="num">
                  {categoryLabel(c)}
                </th>
              ))}
              <th scope="col" class="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((d) => (
              <tr key={d.day} data-day={d.day.slice(0, 10)}>
                <th scope="row">{formatShortDate(d.day)}</th>
                {d.categories.map((c) => (
                  <td key={c.category} class="num">
                    {formatCredits(c.credits)}
                  </td>
                ))}
                <td class="num">{formatCredits(d.totalCredits)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function UsageHistoryCard() {
  const { version } = useApp();
  const [range, setRange] = useState<Range>(30);
  const q = useQuery(DailyUsageDocument, { days: range }, version);
  // While another range loads, keep showing the previous one only if it matches.
  const days = q.data?.dailyUsage.length === range ? q.data.dailyUsage : null;
  const updated = useFlash(days ? days.map((d) => d.totalCredits).join(',') : null);
  const rangeLabel = `the last ${range} days`;
  const s = days ? historySummary(days) : null;

  let body;
  if (!days && q.loading) body = <Loading label="Loading your usage history" lines={4} />;
  else if (!days) body = <ErrorBox error={q.error} what="your usage history" onRetry={q.refetch} />;
  else if (s!.total === 0)
    body = (
      <Empty icon={<IconChart />} title={`No usage in ${rangeLabel}`}>
        Each day's usage shows up here as a bar, split by feature.
      </Empty>
    );
  else
    body = (
      <div class="hist" data-testid="history" aria-busy={q.loading}>
        <dl class="hist__summary">
          <div>
            <dt>Total</dt>
            <dd data-testid="history-total">{creditsLabel(s!.total)}</dd>
          </div>
          <div>
            <dt>Daily average</dt>
            <dd>{creditsLabel(s!.average)}</dd>
          </div>
          {s!.busiest && (
            <div>
              <dt>Busiest day</dt>
              <dd>
                {formatShortDate(s!.busiest.day)} · {creditsLabel(s!.busiest.totalCredits)}
              </dd>
            </div>
          )}
        </dl>
        <HistoryChart days={days} rangeLabel={rangeLabel} />
        <Legend />
        <HistoryTable days={days} />
      </div>
    );

  return (
    <Card
      id="history-title"
      title="Usage history"
      subtitle={`Credits per day over ${rangeLabel}, by feature (UTC days)`}
      class="card--history"
      updated={updated}
      action={
        <div class="hist__actions">
          <RangeSwitch value={range} onChange={setRange} />
          <ExportButton range={exportRange(range, new Date(), days ?? undefined)} label={rangeLabel} />
        </div>
      }
    >
      {body}
    </Card>
  );
}
