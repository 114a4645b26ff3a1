// A tiny fetch-based GraphQL client for the typed documents in ./gql.
import type { TypedDocumentString } from './gql/graphql';
import { ApiError } from './errors';

const KEY_STORAGE = 'aiusage.apiKey';

export function loadKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function saveKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage unavailable: the key lives only in memory */
  }
}

let apiKey: string | null = loadKey();
let onUnauthenticated: (() => void) | null = null;

export function setApiKey(key: string | null): void {
  apiKey = key;
  saveKey(key);
}

export function getApiKey(): string | null {
  return apiKey;
}

/** Called when the server rejects the key during a session. */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

/** Reports that the server refused the current key (e.g. on the websocket). */
export function notifyUnauthenticated(): void {
  onUnauthenticated?.();
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function request<TResult, TVariables>(
  doc: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
  key: string | null = apiKey,
): Promise<TResult> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
  });
  let body: GraphQLResponse<TResult> | null = null;
  try {
    body = (await res.json()) as GraphQLResponse<TResult>;
  } catch {
    body = null;
  }
  const first = body?.errors?.[0];
  if (res.status === 401 || first?.extensions?.code === 'UNAUTHENTICATED') {
    const err = new ApiError(first?.message ?? 'unauthenticated', 'UNAUTHENTICATED', res.status);
    if (key === apiKey && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  if (first) {
    throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL', res.status);
  }
  if (!res.ok || !body?.data) {
    throw new ApiError(`HTTP ${res.status}`, res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL', res.status);
  }
  return body.data;
}

/** Asks the server for the demo account's key; null when not in demo mode. */
export async function fetchDemoKey(): Promise<string | null> {
  try {
    const res = await fetch('/api/demo-key', { headers: { Accept: 'application/json' } });
    if (!res.ok) return null;
    const body = (await res.json()) as { apiKey?: unknown };
    return typeof body.apiKey === 'string' && body.apiKey ? body.apiKey : null;
  } catch {
    return null;
  }
}

/** A fresh idempotency key for a purchase. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
