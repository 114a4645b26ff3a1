// State logic kept free of the UI so it can be unit-tested.

export const USAGE_PATH = '/settings/billing/ai-usage';
export const PLAN_PATH = '/settings/billing/plan';

export type Route = 'usage' | 'plan' | 'notfound';

/** Maps a location path to a page; "/" and trailing slashes resolve to the usage page. */
export function routeFor(path: string): { route: Route; canonical: string } {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/settings' || p === '/settings/billing' || p === USAGE_PATH) {
    return { route: 'usage', canonical: USAGE_PATH };
  }
  if (p === PLAN_PATH) return { route: 'plan', canonical: PLAN_PATH };
  return { route: 'notfound', canonical: p };
}

/** Low when fewer than 10 % of the credits are left (or nothing at all). */
export function isLowBalance(b: { remaining: number; allowance: number }): boolean {
  if (b.allowance <= 0) return b.remaining <= 0;
  return b.remaining / b.allowance < 0.1;
}

/** Clamp a percentage into 0–100 for drawing. */
export function clampPercent(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(100, Math.max(0, p));
}

export interface Arc {
  key: string;
  /** Length of the arc in percent of the circle. */
  length: number;
  /** Where the arc starts, in percent of the circle. */
  offset: number;
}

/**
 * Arcs of a donut chart from the category credits (not the rounded percents,
 * so the arcs always add up to a whole circle).
 */
export function donutArcs(items: { key: string; credits: number }[]): Arc[] {
  const total = items.reduce((s, i) => s + Math.max(0, i.credits), 0);
  if (total <= 0) return [];
  let offset = 0;
  const arcs: Arc[] = [];
  for (const i of items) {
    const length = (Math.max(0, i.credits) / total) * 100;
    if (length > 0) arcs.push({ key: i.key, length, offset });
    offset += length;
  }
  return arcs;
}

/**
 * Wraps an async action so it runs at most once at a time: calls made while
 * one is in flight return the same promise and start nothing new. This is what
 * makes a double click on "Buy" purchase once.
 */
export function singleFlight<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  let pending: Promise<R> | null = null;
  const run = (...args: A): Promise<R> => {
    if (pending) return pending;
    pending = fn(...args).finally(() => {
      pending = null;
    });
    return pending;
  };
  run.busy = () => pending !== null;
  return run;
}

/** Appends a page of a connection to what is already shown, skipping duplicates. */
export function appendPage<T extends { id: string }>(current: T[], page: T[]): T[] {
  const seen = new Set(current.map((x) => x.id));
  return current.concat(page.filter((x) => !seen.has(x.id)));
}
