import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_FORBIDDEN, debounce, isForbidden, retryDelay, websocketURL } from './live';
import { liveStatusText } from './components/LiveStatus';

describe('retryDelay', () => {
  it('doubles from one second up to thirty', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => retryDelay(n, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
  it('jitters by a quarter either way', () => {
    expect(retryDelay(2, () => 0)).toBe(3000);
    expect(retryDelay(2, () => 0.999999)).toBe(5000);
  });
});

describe('websocketURL', () => {
  it('follows the page origin and scheme', () => {
    expect(websocketURL({ protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/graphql');
    expect(websocketURL({ protocol: 'https:', host: 'app.example.com' })).toBe('wss://app.example.com/graphql');
  });
});

describe('isForbidden', () => {
  it('recognises the refused-key close code only', () => {
    expect(isForbidden({ code: CLOSE_FORBIDDEN, reason: 'Forbidden' })).toBe(true);
    expect(isForbidden({ code: 1006, reason: '' })).toBe(false);
    expect(isForbidden(new Error('x'))).toBe(false);
    expect(isForbidden(null)).toBe(false);
  });
});

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once after a burst', () => {
    const fn = vi.fn();
    const d = debounce(fn, 300, 2000);
    d();
    vi.advanceTimersByTime(100);
    d();
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('still fires every maxWait while calls keep coming', () => {
    const fn = vi.fn();
    const d = debounce(fn, 300, 1000);
    for (let t = 0; t < 2500; t += 100) {
      d();
      vi.advanceTimersByTime(100);
    }
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('can be cancelled', () => {
    const fn = vi.fn();
    const d = debounce(fn, 300, 1000);
    d();
    d.cancel();
    vi.advanceTimersByTime(5000);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('liveStatusText', () => {
  it('says what the connection is doing', () => {
    expect(liveStatusText('connecting', false)).toBe('Connecting to live updates…');
    expect(liveStatusText('live', false)).toBe('Live');
    expect(liveStatusText('live', true)).toBe('Live · updated just now');
    expect(liveStatusText('reconnecting', false)).toMatch(/^Reconnecting/);
  });
});
