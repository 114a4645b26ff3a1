import { useState } from 'preact/hooks';
import { TopAgentsDocument } from '../gql/graphql';
import { useFlash, useQuery } from '../hooks';
import { useApp } from '../context';
import { formatAverage, formatCredits, frequencyLabel } from '../format';
import { Card, Empty, ErrorBox, Loading } from './ui';
import { IconBot, IconChevron } from './icons';
import { AgentDetail } from './AgentDetail';
import { HourlyRate } from './HourlyRate';
import { roiText } from '../controls';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function TopAgentsCard() {
  const { version } = useApp();
  const q = useQuery(TopAgentsDocument, { first: 5 }, version);
  const [selected, setSelected] = useState<{ id: string; name: string } | null>(null);
  const list = q.data?.topAgents;
  const rate = q.data?.viewer.hourlyRate;
  const updated = useFlash(list ? list.map((a) => `${a.agent.id}:${a.estimatedMonthlyCredits}:${a.timeSavedValue?.amount ?? ''}`).join(',') : null);

  let body;
  if (!list && q.loading) body = <Loading label="Loading your agents" lines={4} />;
  else if (!list) body = <ErrorBox error={q.error} what="your agents" onRetry={q.refetch} />;
  else if (list.length === 0)
    body = (
      <Empty icon={<IconBot />} title="No agents yet">
        Agents you set up to work on your behalf will be listed here, ranked by what they are expected to cost each month.
      </Empty>
    );
  else
    body = (
      <ol class="agents" data-testid="top-agents">
        {list.map((a, i) => (
          <li key={a.agent.id} data-agent-id={a.agent.id}>
            <button
              type="button"
              class="agent-row"
              onClick={() => setSelected({ id: a.agent.id, name: a.agent.name })}
              aria-haspopup="dialog"
            >
              <span class="agent-row__rank" aria-hidden="true">
                {i + 1}
              </span>
              <span class="agent-row__main">
                <span class="agent-row__name" data-field="name">
                  {a.agent.name}
                </span>
                <span class="agent-row__meta">
                  <span data-field="frequency">{frequencyLabel(a.frequency)}</span>
                  <span aria-hidden="true"> · </span>
                  <span data-field="average">avg {formatAverage(a.averageCreditsPerRun)} credits per run</span>
                </span>
                {roiText(a.timeSavedValue, a.estimatedMonthlyCost) && (
                  <span class="agent-row__roi" data-field="roi">
                    {capitalize(roiText(a.timeSavedValue, a.estimatedMonthlyCost)!)} a month
                  </span>
                )}
              </span>
              <span class="agent-row__cost">
                <span class="agent-row__money" data-field="cost">
                  {a.estimatedMonthlyCost.formatted}
                  <span class="agent-row__per">/mo</span>
                </span>
                <span class="agent-row__credits" data-field="credits">
                  {formatCredits(a.estimatedMonthlyCredits)} credits
                </span>
              </span>
              <IconChevron class="agent-row__chevron" />
            </button>
          </li>
        ))}
      </ol>
    );

  return (
    <Card
      id="agents-title"
      title="Top agents by cost"
      subtitle="Ranked by projected monthly spend. Select an agent to see its runs."
      class="card--agents"
      updated={updated}
    >
      {body}
      {rate && list && list.length > 0 && <HourlyRate rate={rate} onSaved={q.refetch} />}
      {selected && (
        <AgentDetail id={selected.id} name={selected.name} hourlyRate={rate?.formatted} onClose={() => setSelected(null)} />
      )}
    </Card>
  );
}
