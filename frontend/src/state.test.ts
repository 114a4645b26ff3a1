import { describe, expect, it } from 'vitest';
import { appendPage, clampPercent, donutArcs, isLowBalance, routeFor, singleFlight, USAGE_PATH } from './state';
import { ApiError, humanError, isUnauthenticated } from './errors';

describe('routeFor', () => {
  it('sends / to the usage page', () => {
    expect(routeFor('/')).toEqual({ route: 'usage', canonical: USAGE_PATH });
    expect(routeFor('/settings/billing/ai-usage/')).toEqual({ route: 'usage', canonical: USAGE_PATH });
    expect(routeFor(USAGE_PATH).route).toBe('usage');
  });
  it('knows the plan tab and unknown paths', () => {
    expect(routeFor('/settings/billing/plan').route).toBe('plan');
    expect(routeFor('/elsewhere').route).toBe('notfound');
  });
});

describe('isLowBalance', () => {
  it('is low below 10 % remaining', () => {
    expect(isLowBalance({ remaining: 499, allowance: 5000 })).toBe(true);
    expect(isLowBalance({ remaining: 500, allowance: 5000 })).toBe(false);
    expect(isLowBalance({ remaining: 3891, allowance: 5000 })).toBe(false);
    expect(isLowBalance({ remaining: 0, allowance: 5000 })).toBe(true);
  });
  it('treats an empty allowance as low', () => {
    expect(isLowBalance({ remaining: 0, allowance: 0 })).toBe(true);
  });
});

describe('clampPercent', () => {
  it('keeps values in range', () => {
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(22.2)).toBe(22.2);
    expect(clampPercent(140)).toBe(100);
    expect(clampPercent(NaN)).toBe(0);
  });
});

describe('donutArcs', () => {
  it('splits the circle by credits', () => {
    const arcs = donutArcs([
      { key: 'IMAGE', credits: 50 },
      { key: 'VIDEO', credits: 0 },
      { key: 'CHAT', credits: 25 },
      { key: 'AGENT', credits: 25 },
    ]);
    expect(arcs).toEqual([
      { key: 'IMAGE', length: 50, offset: 0 },
      { key: 'CHAT', length: 25, offset: 50 },
      { key: 'AGENT', length: 25, offset: 75 },
    ]);
  });
  it('draws nothing when nothing was used', () => {
    expect(donutArcs([{ key: 'IMAGE', credits: 0 }])).toEqual([]);
  });
  it('always adds up to the whole circle', () => {
    const arcs = donutArcs([
      { key: 'a', credits: 1 },
      { key: 'b', credits: 2 },
      { key: 'c', credits: 7 },
    ]);
    expect(arcs.reduce((s, a) => s + a.length, 0)).toBeCloseTo(100, 10);
  });
});

describe('singleFlight', () => {
  it('runs once while a call is in flight', async () => {
    let calls = 0;
    let release!: () => void;
    const run = singleFlight(async (n: number) => {
      calls++;
      await new Promise<void>((r) => (release = r));
      return n * 2;
    });
    const a = run(1);
    const b = run(2);
    expect(run.busy()).toBe(true);
    expect(a).toBe(b);
    release();
    expect(await a).toBe(2);
    expect(calls).toBe(1);
    expect(run.busy()).toBe(false);
    const c = run(3);
    release();
    expect(await c).toBe(6);
    expect(calls).toBe(2);
  });
  it('frees itself after a failure', async () => {
    const run = singleFlight(async () => {
      throw new Error('boom');
    });
    await expect(run()).rejects.toThrow('boom');
    expect(run.busy()).toBe(false);
  });
});

describe('appendPage', () => {
  it('appends without duplicates', () => {
    expect(appendPage([{ id: '1' }, { id: '2' }], [{ id: '2' }, { id: '3' }])).toEqual([
      { id: '1' },
      { id: '2' },
      { id: '3' },
    ]);
  });
});

describe('humanError', () => {
  it('explains API codes in words', () => {
    expect(humanError(new ApiError('x', 'INSUFFICIENT_CREDITS'))).toMatch(/not enough credits/);
    expect(humanError(new ApiError('x', 'RATE_LIMITED'))).toMatch(/Wait a moment/);
    expect(humanError(new ApiError('x', 'WHATEVER'))).toMatch(/Something went wrong/);
    expect(humanError(new TypeError('Failed to fetch'))).toMatch(/could not reach the server/);
  });
  it('recognises a rejected key', () => {
    expect(isUnauthenticated(new ApiError('x', 'UNAUTHENTICATED', 401))).toBe(true);
    expect(isUnauthenticated(new Error('x'))).toBe(false);
  });
});
