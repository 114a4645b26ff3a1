import { UsageByCategoryDocument, type UsageByCategoryQuery } from '../gql/graphql';
import { useFlash, useQuery } from '../hooks';
import { useApp } from '../context';
import { categoryLabel, formatCredits, formatPercent } from '../format';
import { donutArcs } from '../state';
import { Card, Empty, ErrorBox, Loading } from './ui';
import { IconChart } from './icons';

type Breakdown = UsageByCategoryQuery['usageByCategory'];

const R = 15.9155; // circumference 100, so arc lengths are percents

function Donut({ data }: { data: Breakdown }) {
  const arcs = donutArcs(data.categories.map((c) => ({ key: c.category, credits: c.credits })));
  const summary = data.categories
    .map((c) => `${categoryLabel(c.category)} ${formatPercent(c.percent)}`)
    .join(', ');
  return (
    <figure class="donut">
      <svg viewBox="0 0 42 42" role="img" aria-label={`Share of credits by category: ${summary}`}>
        <circle class="donut__track" cx="21" cy="21" r={R} />
        {arcs.map((a) => (
          <circle
            key={a.key}
            class={`donut__arc cat--${a.key.toLowerCase()}`}
            cx="21"
            cy="21"
            r={R}
            stroke-dasharray={`${a.length} ${100 - a.length}`}
            stroke-dashoffset={String(25 - a.offset)}
          />
        ))}
        <text x="21" y="20.5" class="donut__total">
          {formatCredits(data.totalCredits)}
        </text>
        <text x="21" y="25.5" class="donut__caption">
          credits
        </text>
      </svg>
    </figure>
  );
}

export function CategoriesCard() {
  const { version } = useApp();
  const q = useQuery(UsageByCategoryDocument, { days: 30 }, version);
  const d = q.data?.usageByCategory;
  const updated = useFlash(d ? d.categories.map((c) => `${c.category}:${c.credits}`).join(',') : null);

  let body;
  if (!d && q.loading) body = <Loading label="Loading usage by category" lines={4} />;
  else if (!d) body = <ErrorBox error={q.error} what="your usage" onRetry={q.refetch} />;
  else if (d.totalCredits === 0)
    body = (
      <Empty icon={<IconChart />} title="No credits used in the last 30 days">
        Generate an image or video, chat with Ask Vista or run an agent, and you'll see here where your credits go.
      </Empty>
    );
  else
    body = (
      <div class="categories">
        <Donut data={d} />
        <table class="cat-table" data-testid="categories">
          <caption class="visually-hidden">Credits used per category over the last {d.days} days</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col" class="num">
                Share
              </th>
              <th scope="col" class="num">
                Credits
              </th>
              <th scope="col" class="num">
                ≈ Value
              </th>
            </tr>
          </thead>
          <tbody>
            {d.categories.map((c) => (
              <tr key={c.category} data-category={c.category}>
                <th scope="row">
                  <span class={`swatch cat--${c.category.toLowerCase()}`} aria-hidden="true" />
                  {categoryLabel(c.category)}
                </th>
                <td class="num" data-field="percent">
                  {formatPercent(c.percent)}
                </td>
                <td class="num" data-field="credits">
                  {formatCredits(c.credits)}
                </td>
                <td class="num muted" data-field="value">
                  {c.value.formatted}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td class="num">100%</td>
              <td class="num" data-field="total-credits">
                {formatCredits(d.totalCredits)}
              </td>
              <td class="num">{d.totalValue.formatted}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    );

  return (
    <Card id="categories-title" title="What used your credits" subtitle="Rolling 30 days, by feature" class="card--categories" updated={updated}>
      {body}
    </Card>
  );
}
