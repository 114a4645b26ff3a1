import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api';
import type { TypedDocumentString } from './gql/graphql';

export interface QueryState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  refetch: () => void;
}

/**
 * Runs a query when mounted and whenever `version` changes. Data already
 * shown stays on screen while a refetch runs, so refreshes do not flicker.
 */
export function useQuery<TResult, TVariables>(
  doc: TypedDocumentString<TResult, TVariables>,
  variables: TVariables | undefined,
  version = 0,
  enabled = true,
): QueryState<TResult> {
  const [data, setData] = useState<TResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  const varsKey = JSON.stringify(variables ?? null);
  const seq = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const id = ++seq.current;
    setLoading(true);
    request(doc, variables)
      .then((d) => {
        if (id !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      })
      .catch((e) => {
        if (id !== seq.current) return;
        setError(e);
        setLoading(false);
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, varsKey, version, tick, enabled]);

  const refetch = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, refetch };
}
