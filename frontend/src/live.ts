// Live updates: GraphQL subscriptions over a websocket (graphql-transport-ws,
// spoken by the graphql-ws client). The dashboard refetches its figures when
// the server reports a charge or a purchase on the account.
import { createClient, type Client } from 'graphql-ws/client';
import { BalanceChangedDocument, UsageRecordedDocument } from './gql/graphql';

/** connecting: first connection; live: subscribed; reconnecting: lost, retrying. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  /** Figures changed on the server (a charge or a purchase). */
  onChange: () => void;
  /** The connection came back: events may have been missed meanwhile. */
  onResync: () => void;
  onStatus: (status: LiveStatus) => void;
  /** The server refused the key (close code 4403). */
  onForbidden: () => void;
}

/** graphql-transport-ws close code for a refused connection_init. */
export const CLOSE_FORBIDDEN = 4403;
/** The server pings every 10 s; silence for this long means a dead link. */
export const SILENCE_TIMEOUT_MS = 25_000;

/**
 * Delay before reconnection attempt `retries` (0-based): 1 s, 2 s, 4 s … up
 * to 30 s, with ±25 % jitter so that clients do not reconnect in lockstep
 * after a server restart.
 */
export function retryDelay(retries: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, Math.min(retries, 10)));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** The websocket URL of the API on the page's own origin. */
export function websocketURL(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/graphql`;
}

/** Whether err is the close event of a refused key. */
export function isForbidden(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === CLOSE_FORBIDDEN;
}

function isCloseEvent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && 'reason' in err;
}

export interface Debounced {
  (): void;
  cancel: () => void;
}

/**
 * Calls fn once calls stop for `wait` ms, but at least every `maxWait` ms
 * while they keep coming, so a busy account still refreshes steadily.
 */
export function debounce(fn: () => void, wait: number, maxWait: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let first = 0;
  const fire = () => {
    timer = null;
    first = 0;
    fn();
  };
  const call = (() => {
    const now = Date.now();
    if (!first) first = now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(wait, first + maxWait - now)));
  }) as Debounced;
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    first = 0;
  };
  return call;
}

/**
 * Subscribes to the account's balance and usage events as the holder of key,
 * reconnecting forever with a backoff (except when the key is refused).
 * Returns a function that stops everything.
 */
export function startLive(key: string, h: LiveHandlers): () => void {
  let disposed = false;
  let everConnected = false;
  let silence: ReturnType<typeof setTimeout> | null = null;
  let socket: WebSocket | null = null;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const watch = () => {
    if (silence) clearTimeout(silence);
    silence = setTimeout(() => {
      // No ping for too long: the link is dead without having closed.
      if (socket?.readyState === WebSocket.OPEN) socket.close(4408, 'Ping timeout');
    }, SILENCE_TIMEOUT_MS);
  };

  const client: Client = createClient({
    url: websocketURL(location),
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: true,
    retryAttempts: Infinity,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelay(retries))),
    shouldRetry: (e) => isCloseEvent(e) && !isForbidden(e),
    on: {
      connecting: () => {
        if (!disposed) h.onStatus(everConnected ? 'reconnecting' : 'connecting');
      },
      connected: (s) => {
        socket = s as WebSocket;
        watch();
        if (disposed) return;
        if (everConnected) h.onResync();
        everConnected = true;
        h.onStatus('live');
      },
      ping: watch,
      message: watch,
      closed: (e) => {
        socket = null;
        if (silence) clearTimeout(silence);
        if (disposed) return;
        if (isForbidden(e)) h.onForbidden();
        else h.onStatus(everConnected ? 'reconnecting' : 'connecting');
      },
    },
  });

  // Each subscription re-subscribes after a server-side error (the socket's
  // own losses are retried by the client).
  const subscribe = (query: string, attempt = 0): (() => void) => {
    let stop = client.subscribe(
      { query },
      {
        next: () => {
          attempt = 0;
          h.onChange();
        },
        error: (e) => {
          if (disposed) return;
          if (isForbidden(e)) {
            h.onForbidden();
            return;
          }
          const t = setTimeout(() => {
            timers.delete(t);
            if (!disposed) stop = subscribe(query, attempt + 1);
          }, retryDelay(attempt));
          timers.add(t);
        },
        complete: () => {},
      },
    );
    return () => stop();
  };
  const stops = [subscribe(BalanceChangedDocument.toString()), subscribe(UsageRecordedDocument.toString())];

  return () => {
    disposed = true;
    if (silence) clearTimeout(silence);
    for (const t of timers) clearTimeout(t);
    for (const s of stops) s();
    void client.dispose();
  };
}
