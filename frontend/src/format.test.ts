import { describe, expect, it } from 'vitest';
import {
  categoryLabel,
  costPerHour,
  creditsLabel,
  formatAverage,
  formatCredits,
  formatDate,
  formatDateTime,
  formatHours,
  formatPercent,
  formatTime,
  formatUnitPrice,
  frequencyLabel,
  savingPercent,
} from './format';

describe('formatCredits', () => {
  it('adds thousands separators', () => {
    expect(formatCredits(3891)).toBe('3,891');
    expect(formatCredits(5000)).toBe('5,000');
    expect(formatCredits(0)).toBe('0');
    expect(formatCredits(999)).toBe('999');
    expect(formatCredits(1234567890)).toBe('1,234,567,890');
  });
  it('keeps large integers exact', () => {
    expect(formatCredits(9007199254740991)).toBe('9,007,199,254,740,991');
  });
  it('rounds fractions', () => {
    expect(formatCredits(12.6)).toBe('13');
  });
  it('pluralises', () => {
    expect(creditsLabel(1)).toBe('1 credit');
    expect(creditsLabel(1000)).toBe('1,000 credits');
  });
});

describe('formatPercent', () => {
  it('shows one decimal', () => {
    expect(formatPercent(22.18)).toBe('22.2%');
    expect(formatPercent(0.05)).toBe('0.1%');
  });
  it('drops the decimal on whole numbers', () => {
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(49.98)).toBe('50%');
  });
  it('handles non-finite input', () => {
    expect(formatPercent(NaN)).toBe('0%');
  });
});

describe('dates', () => {
  it('formats a period end as a UTC calendar date', () => {
    expect(formatDate('2026-08-14T00:00:00Z')).toBe('Aug 14, 2026');
    expect(formatDate('2026-12-31T23:59:59Z')).toBe('Dec 31, 2026');
  });
  it('returns empty text for an invalid date', () => {
    expect(formatDate('nope')).toBe('');
  });
  it('formats local dates and times', () => {
    expect(formatDate('2026-07-01T23:30:00Z', true, 'America/New_York')).toBe('Jul 1, 2026');
    expect(formatDate('2026-07-01T23:30:00Z', true, 'Asia/Tokyo')).toBe('Jul 2, 2026');
    expect(formatTime('2026-07-01T15:04:00Z', 'UTC')).toBe('3:04 PM');
  });
  it('formats a run time in a given zone', () => {
    expect(formatDateTime('2026-07-01T15:04:00Z', 'UTC')).toBe('Jul 1, 2026, 3:04 PM');
  });
});

describe('labels', () => {
  it('describes frequencies in words', () => {
    expect(frequencyLabel('HOURLY')).toBe('Every hour');
    expect(frequencyLabel('WEEKDAYS')).toBe('Every weekday');
    expect(frequencyLabel('MANUAL')).toBe('When started by hand');
  });
  it('names categories', () => {
    expect(categoryLabel('IMAGE')).toBe('Images');
    expect(categoryLabel('AGENT')).toBe('Agents');
  });
  it('formats averages and hours', () => {
    expect(formatAverage(123.456)).toBe('123.5');
    expect(formatAverage(1500)).toBe('1,500');
    expect(formatHours(1)).toBe('1 hour');
    expect(formatHours(6)).toBe('6 hours');
    expect(formatHours(2.5)).toBe('2.5 hours');
  });
});

describe('money helpers', () => {
  it('computes cost per hour saved, rounded half-up to cents', () => {
    expect(costPerHour('10.52', 6)).toBe('$1.75');
    expect(costPerHour('10.50', 6)).toBe('$1.75');
    expect(costPerHour('0.01', 2)).toBe('$0.01');
    expect(costPerHour('12345.00', 1)).toBe('$12,345.00');
    expect(costPerHour('10', 0)).toBeNull();
  });
  it('shows small unit prices with enough decimals', () => {
    expect(formatUnitPrice('0.01')).toBe('$0.01');
    expect(formatUnitPrice('0.009')).toBe('$0.009');
    expect(formatUnitPrice('0.008')).toBe('$0.008');
    expect(formatUnitPrice('0.00833333')).toBe('$0.0083');
  });
  it('computes savings against a reference price', () => {
    expect(savingPercent(0.009, 0.01)).toBe(10);
    expect(savingPercent(0.008, 0.01)).toBe(20);
    expect(savingPercent(0.01, 0.01)).toBe(0);
    expect(savingPercent(0.01, 0)).toBe(0);
  });
});
