import { useEffect, useState } from 'preact/hooks';
import { request } from '../api';
import { AgentRunsDocument, type AgentRunsQuery } from '../gql/graphql';
import { humanError } from '../errors';
import { costPerHour, formatAverage, formatCredits, formatDate, formatTime, formatHours, frequencyLabel } from '../format';
import { appendPage } from '../state';
import { roiText } from '../controls';
import { Modal } from './Modal';
import { ErrorBox, Loading } from './ui';

type AgentNode = Extract<NonNullable<AgentRunsQuery['node']>, { name: string }>;
type Run = NonNullable<NonNullable<AgentNode['runs']['edges']>[number]>['node'] & {};

const PAGE = 10;

interface Props {
  id: string;
  name: string;
  /** The account's hourly rate ("$50.00"), for the time-saved note. */
  hourlyRate?: string;
  onClose: () => void;
}

export function AgentDetail({ id, name, hourlyRate, onClose }: Props) {
  const [agent, setAgent] = useState<AgentNode | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  const load = async (after: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const d = await request(AgentRunsDocument, { id, first: PAGE, after });
      const node = d.node;
      if (!node || !('name' in node)) throw new Error('not found');
      const page = (node.runs.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
      setAgent(node);
      setRuns((cur) => (after ? appendPage(cur, page) : page));
      setCursor(node.runs.pageInfo.endCursor ?? null);
      setHasMore(node.runs.pageInfo.hasNextPage);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, attempt]);

  const cost = agent?.cost;
  const hours = agent?.hoursSavedPerMonth ?? null;
  const perHour = cost && hours ? costPerHour(cost.estimatedMonthlyCost.amount, hours) : null;

  return (
    <Modal
      labelId="agent-detail-title"
      title={agent?.name ?? name}
      subtitle={agent ? frequencyLabel(agent.frequency) : 'Agent details'}
      onClose={onClose}
    >
      <div data-testid="agent-detail">
        {cost && (
          <dl class="stats">
            <div>
              <dt>Projected monthly spend</dt>
              <dd>{cost.estimatedMonthlyCost.formatted}</dd>
              <dd class="stats__sub">{formatCredits(cost.estimatedMonthlyCredits)} credits</dd>
            </div>
            <div>
              <dt>Average per run</dt>
              <dd>{formatAverage(cost.averageCreditsPerRun)}</dd>
              <dd class="stats__sub">credits</dd>
            </div>
            <div>
              <dt>Runs per month</dt>
              <dd>{formatAverage(cost.runsPerMonth)}</dd>
              <dd class="stats__sub">expected</dd>
            </div>
          </dl>
        )}
        {cost && hours != null && hours > 0 && (
          <div class="value-note" data-testid="time-saved">
            <p class="value-note__title">Return on this agent</p>
            {cost.timeSavedValue ? (
              <p data-testid="agent-roi">
                This agent <strong>{roiText(cost.timeSavedValue, cost.estimatedMonthlyCost)}</strong> a month: about{' '}
                {formatHours(hours)} of manual work{hourlyRate ? ` at ${hourlyRate} an hour` : ''}
                {perHour ? <>, or {perHour} of credits per hour saved</> : null}.
              </p>
            ) : (
              <p>
                This agent costs about <strong>{cost.estimatedMonthlyCost.formatted} a month</strong> and saves about{' '}
                <strong>{formatHours(hours)}</strong> of manual work a month
                {perHour ? <> — roughly <strong>{perHour} per hour saved</strong></> : null}.
              </p>
            )}
          </div>
        )}

        <h3 class="section-title">Runs</h3>
        {runs.length > 0 && (
          <div class="table-wrap">
            <table class="runs-table" data-testid="agent-runs">
              <caption class="visually-hidden">Runs of {agent?.name ?? name}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col" class="num">
                    Credits
                  </th>
                  <th scope="col" class="num">
                    ≈ Value
                  </th>
                  <th scope="col" class="num">
                    Profiles
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <time dateTime={r.occurredAt} class="run-date">
                        <span>{formatDate(r.occurredAt, true)}</span>
                        <span class="muted">{formatTime(r.occurredAt)}</span>
                      </time>
                    </td>
                    <td class="num">{formatCredits(r.credits)}</td>
                    <td class="num">{r.value.formatted}</td>
                    <td class="num">{r.profilesProcessed == null ? '—' : formatCredits(r.profilesProcessed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {agent && runs.length === 0 && !loading && !error && (
          <p class="muted empty-inline">This agent hasn't completed a run yet. Each run's cost shows up here once it finishes.</p>
        )}
        {loading && <Loading label="Loading runs" lines={runs.length ? 1 : 3} />}
        {error != null && !agent && <ErrorBox error={error} what="this agent" onRetry={() => setAttempt((a) => a + 1)} />}
        {error != null && agent && (
          <p class="inline-error" role="alert">
            {humanError(error)}
          </p>
        )}
        {agent && (
          <div class="runs-footer">
            <span class="muted" aria-live="polite">
              Showing {formatCredits(runs.length)} of {formatCredits(agent.runs.totalCount)} runs
            </span>
            {hasMore && (
              <button
                type="button"
                class="button button--secondary button--small"
                disabled={loading}
                onClick={() => void load(cursor)}
              >
                Load more runs
              </button>
            )}
          </div>
        )}
      </div>
    </Modal>
  );
}
