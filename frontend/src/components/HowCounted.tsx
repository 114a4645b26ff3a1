import { CreditCostsDocument } from '../gql/graphql';
import { useQuery } from '../hooks';
import { categoryLabel, formatCredits } from '../format';
import { Card, ErrorBox, Loading } from './ui';

const FAQ: { q: string; a: string }[] = [
  {
    q: 'Do my unused plan credits carry over?',
    a: "No. The credits that come with your plan are refilled at the start of each billing period, and whatever is left at the end of a period expires. Credits from bundles you buy are different: they stay on your account until you use them.",
  },
  {
    q: 'Why does the same agent cost more on some runs?',
    a: 'Agents are charged for the work they actually do. A run that goes through more profiles or handles more involved tasks uses more credits than a light one, so the cost per run moves with the workload.',
  },
  {
    q: 'Which credits are used first?',
    a: 'Plan credits go first because they expire soonest. After that, bundle credits are used, oldest purchase first.',
  },
  {
    q: 'How do I get more credits?',
    a: 'Use the “Buy a credits bundle” button at the top right of this page. Bundle credits are added to your balance right away.',
  },
  {
    q: 'Can I cap my spending or get an alert?',
    a: 'Yes. Under “Limits & alerts” you can set alerts (by share used, credits left or days of runway), hard or soft monthly limits per feature or agent, a webhook, and automatic top-ups.',
  },
];

export function HowCountedCard() {
  const q = useQuery(CreditCostsDocument, undefined);
  const costs = q.data?.creditCosts;

  let rates;
  if (!costs && q.loading) rates = <Loading label="Loading credit rates" lines={3} />;
  else if (!costs) rates = <ErrorBox error={q.error} what="the credit rates" onRetry={q.refetch} />;
  else
    rates = (
      <ul class="rates" data-testid="credit-costs">
        {costs.map((c) => (
          <li key={c.category} class="rate" data-category={c.category}>
            <span class={`swatch cat--${c.category.toLowerCase()}`} aria-hidden="true" />
            <span class="rate__main">
              <span class="rate__name">{categoryLabel(c.category)}</span>
              {c.description && <span class="rate__desc">{c.description}</span>}
            </span>
            <span class="rate__price">
              {c.creditsPerUnit != null ? (
                <>
                  <strong>{formatCredits(c.creditsPerUnit)}</strong> {c.creditsPerUnit === 1 ? 'credit' : 'credits'} per {c.unit}
                </>
              ) : (
                <>Varies with the work done</>
              )}
            </span>
          </li>
        ))}
      </ul>
    );

  return (
    <Card
      id="rates-title"
      title="How credits are counted"
      subtitle="Each AI feature draws credits at its own rate."
      class="card--rates"
    >
      {rates}
    </Card>
  );
}

export function FaqCard() {
  return (
    <Card id="faq-title" title="Questions about credits" class="card--faq">
      <div class="faq">
        {FAQ.map((f) => (
          <details key={f.q} class="faq__item">
            <summary>{f.q}</summary>
            <p>{f.a}</p>
          </details>
        ))}
      </div>
    </Card>
  );
}
