import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api';
import type { TypedDocumentString } from './gql/graphql';
import { humanError } from './errors';

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
): QueryState<TResult> {
  const [data, setData] = useState<TResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const varsKey = JSON.stringify(variables ?? null);
  const seq = useRef(0);

  useEffect(() => {
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
  }, [doc, varsKey, version, tick]);

  const refetch = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, refetch };
}

/**
 * True for `ms` after `signature` changes (not on its first value): lets a
 * card show, briefly, that its figures were just updated.
 */
export function useFlash(signature: string | null, ms = 1600): boolean {
  const prev = useRef<string | null>(null);
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (signature === null) return;
    const changed = prev.current !== null && prev.current !== signature;
    prev.current = signature;
    if (!changed) return;
    setOn(true);
    const t = setTimeout(() => setOn(false), ms);
    return () => clearTimeout(t);
  }, [signature, ms]);
  return on;
}

/**
 * State of a form action: one run at a time, with a busy flag and a
 * sentence to show when it fails. `run` resolves true on success.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const run = useCallback(async (fn: () => Promise<unknown>, failure: string): Promise<boolean> => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(`${failure} ${humanError(e)}`);
      return false;
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
