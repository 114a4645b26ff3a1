import { describe, expect, it } from 'vitest';
import { formatBurn, runwayForecast } from './forecast';
import { axisNumber, barSlots, historySummary, labelIndices, niceScale, stackSegments } from './chart';
import { exportRange, fallbackFilename, filenameFromDisposition, isoDay } from './download';
import { alertRuleLabel, decodeTarget, encodeTarget, parseDollars, parseWhole, roiText, thresholdSpec } from './controls';
import { compactMoney, formatShortDate } from './format';

const NOW = new Date('2026-11-25T09:00:00Z');

describe('runwayForecast', () => {
  it('says credits last past a later run-out date', () => {
    const f = runwayForecast({ dailyBurn: 171.2, runsOutAt: '2026-12-12T04:00:00Z', lastsUntilReset: true }, '2026-12-01T00:00:00Z', NOW);
    expect(f).toEqual({
      tone: 'ok',
      text: 'At your current pace (≈171 credits/day), credits last until Dec 12; plan credits reset on Dec 1.',
    });
  });
  it('warns when credits run out before the reset', () => {
    const f = runwayForecast({ dailyBurn: 240, runsOutAt: '2026-12-03T10:00:00Z', lastsUntilReset: false }, '2026-12-05T00:00:00Z', NOW);
    expect(f.tone).toBe('warn');
    expect(f.text).toBe('At your current pace (≈240 credits/day), credits run out around Dec 3, before your plan credits reset on Dec 5.');
  });
  it('handles no forecast within a year', () => {
    const f = runwayForecast({ dailyBurn: 55, runsOutAt: null, lastsUntilReset: true }, '2026-12-05T00:00:00Z', NOW);
    expect(f.tone).toBe('ok');
    expect(f.text).toBe("At your current pace (≈55 credits/day), your credits won't run out in the next 12 months; plan credits reset on Dec 5.");
  });
  it('has nothing to forecast without recent usage', () => {
    const f = runwayForecast({ dailyBurn: 0, runsOutAt: null, lastsUntilReset: true }, '2026-12-05T00:00:00Z', NOW);
    expect(f.tone).toBe('idle');
    expect(f.text).toMatch(/^No credits used in the last 7 days/);
    expect(f.text).toMatch(/Dec 5\.$/);
  });
  it('shows the year of dates in another year', () => {
    const f = runwayForecast({ dailyBurn: 3, runsOutAt: '2027-01-20T00:00:00Z', lastsUntilReset: true }, '2026-12-05T00:00:00Z', NOW);
    expect(f.text).toContain('until Jan 20, 2027;');
  });
  it('says credit for a burn of exactly one', () => {
    expect(runwayForecast({ dailyBurn: 1, runsOutAt: null, lastsUntilReset: true }, '2026-12-05T00:00:00Z', NOW).text).toContain('(≈1 credit/day)');
  });
});

describe('formatBurn', () => {
  it('rounds to whole credits from ten, one decimal below', () => {
    expect(formatBurn(171.4)).toBe('171');
    expect(formatBurn(1234.6)).toBe('1,235');
    expect(formatBurn(9.44)).toBe('9.4');
    expect(formatBurn(0.35)).toBe('0.4');
    expect(formatBurn(4)).toBe('4');
  });
});

describe('formatShortDate and compactMoney', () => {
  it('drops the year within the reference year', () => {
    expect(formatShortDate('2026-12-01T00:00:00Z', NOW)).toBe('Dec 1');
    expect(formatShortDate('2026-11-30T23:59:59Z', NOW)).toBe('Nov 30');
    expect(formatShortDate('2027-01-02T00:00:00Z', NOW)).toBe('Jan 2, 2027');
    expect(formatShortDate('nope', NOW)).toBe('');
  });
  it('drops zero cents only', () => {
    expect(compactMoney('$300.00')).toBe('$300');
    expect(compactMoney('$1,200.00')).toBe('$1,200');
    expect(compactMoney('$10.65')).toBe('$10.65');
    expect(compactMoney('$10.50')).toBe('$10.50');
  });
});

describe('niceScale', () => {
  it('rounds the axis up to round steps', () => {
    expect(niceScale(235)).toEqual({ max: 300, step: 100, ticks: [0, 100, 200, 300] });
    expect(niceScale(95)).toEqual({ max: 100, step: 25, ticks: [0, 25, 50, 75, 100] });
    expect(niceScale(400)).toEqual({ max: 400, step: 100, ticks: [0, 100, 200, 300, 400] });
    expect(niceScale(1)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
    expect(niceScale(7).max).toBeGreaterThanOrEqual(7);
  });
  it('always reaches the largest value with whole-credit steps', () => {
    for (const v of [3, 9, 11, 17, 99, 101, 1234, 98765, 1e9]) {
      const s = niceScale(v);
      expect(s.max).toBeGreaterThanOrEqual(v);
      expect(Number.isInteger(s.step)).toBe(true);
      expect(s.ticks.length).toBeLessThanOrEqual(6);
      expect(s.ticks[s.ticks.length - 1]).toBe(s.max);
    }
  });
  it('gives an empty chart a small axis', () => {
    expect(niceScale(0)).toEqual({ max: 4, step: 1, ticks: [0, 1, 2, 3, 4] });
    expect(niceScale(Number.NaN).max).toBe(4);
  });
});

describe('stackSegments', () => {
  it('stacks from the bottom, proportional to credits', () => {
    const segs = stackSegments(
      [
        { key: 'IMAGE', credits: 50 },
        { key: 'VIDEO', credits: 0 },
        { key: 'CHAT', credits: 25 },
        { key: 'AGENT', credits: 25 },
      ],
      100,
      200,
    );
    expect(segs).toEqual([
      { key: 'IMAGE', credits: 50, y: 100, height: 100 },
      { key: 'CHAT', credits: 25, y: 50, height: 50 },
      { key: 'AGENT', credits: 25, y: 0, height: 50 },
    ]);
  });
  it('keeps tiny usage visible', () => {
    expect(stackSegments([{ key: 'CHAT', credits: 1 }], 10000, 180)[0]).toEqual({ key: 'CHAT', credits: 1, y: 179, height: 1 });
  });
  it('draws nothing without a scale', () => {
    expect(stackSegments([{ key: 'CHAT', credits: 1 }], 0, 180)).toEqual([]);
  });
});

describe('barSlots and labels', () => {
  it('spreads bars evenly and caps their width', () => {
    const s = barSlots(4, 400, 40);
    expect(s.map((b) => b.slotX)).toEqual([40, 140, 240, 340]);
    expect(s[0].width).toBe(28);
    expect(s[0].center).toBe(90);
    expect(barSlots(90, 300)[0].width).toBeGreaterThanOrEqual(1);
    expect(barSlots(0, 300)).toEqual([]);
  });
  it('labels evenly, always including today', () => {
    expect(labelIndices(30, 6)).toEqual([4, 9, 14, 19, 24, 29]);
    expect(labelIndices(3, 10)).toEqual([0, 1, 2]);
    expect(labelIndices(90, 5)).toContain(89);
    expect(labelIndices(90, 5).length).toBeLessThanOrEqual(5);
  });
  it('shortens axis numbers', () => {
    expect(axisNumber(950)).toBe('950');
    expect(axisNumber(1000)).toBe('1k');
    expect(axisNumber(2500)).toBe('2.5k');
  });
  it('summarises a history', () => {
    const s = historySummary([
      { day: 'a', totalCredits: 10 },
      { day: 'b', totalCredits: 40 },
      { day: 'c', totalCredits: 0 },
    ]);
    expect(s).toEqual({ total: 50, average: 17, busiest: { day: 'b', totalCredits: 40 } });
    expect(historySummary([{ day: 'a', totalCredits: 0 }]).busiest).toBeNull();
  });
});

describe('CSV export', () => {
  it('reads the file name from Content-Disposition', () => {
    const fb = fallbackFilename('2026-10-27', '2026-11-25');
    expect(filenameFromDisposition('attachment; filename="ai-usage-2026-10-27-to-2026-11-25.csv"', fb)).toBe('ai-usage-2026-10-27-to-2026-11-25.csv');
    expect(filenameFromDisposition('attachment; filename=usage.csv', fb)).toBe('usage.csv');
    expect(filenameFromDisposition("attachment; filename=\"x.csv\"; filename*=UTF-8''caf%C3%A9%20usage.csv", fb)).toBe('café usage.csv');
    expect(filenameFromDisposition('attachment; filename="a \\"q\\".csv"', fb)).toBe('a q.csv');
  });
  it('falls back without a usable name', () => {
    const fb = fallbackFilename('2026-10-27', '2026-11-25');
    expect(fb).toBe('ai-usage-2026-10-27-to-2026-11-25.csv');
    expect(filenameFromDisposition(null, fb)).toBe(fb);
    expect(filenameFromDisposition('attachment', fb)).toBe(fb);
    expect(filenameFromDisposition('attachment; filename=""', fb)).toBe(fb);
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A", fb)).toBe(fb);
  });
  it('never keeps a path', () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'f.csv')).toBe('passwd');
    expect(filenameFromDisposition('attachment; filename="C:\\\\temp\\\\u.csv"', 'f.csv')).toBe('u.csv');
  });
  it('covers the chart days, today included', () => {
    expect(exportRange(30, NOW)).toEqual({ from: '2026-10-27', to: '2026-11-25' });
    expect(exportRange(90, NOW)).toEqual({ from: '2026-08-28', to: '2026-11-25' });
    expect(exportRange(30, NOW, [{ day: '2026-10-26T00:00:00Z' }, { day: '2026-11-24T00:00:00Z' }])).toEqual({
      from: '2026-10-26',
      to: '2026-11-24',
    });
    expect(isoDay('2026-11-25T23:59:59Z')).toBe('2026-11-25');
  });
});

describe('spending controls', () => {
  it('describes alert rules', () => {
    expect(alertRuleLabel('USED_PERCENT', 80)).toBe('When 80% of your credits are used');
    expect(alertRuleLabel('REMAINING_BELOW', 1500)).toBe('When fewer than 1,500 credits are left');
    expect(alertRuleLabel('RUNWAY_BELOW_DAYS', 1)).toBe('When credits will run out within 1 day');
    expect(alertRuleLabel('SOFT_LIMIT_REACHED', 0)).toBe('When a soft monthly limit is reached');
    expect(thresholdSpec('SOFT_LIMIT_REACHED').unit).toBeNull();
    expect(thresholdSpec('USED_PERCENT')).toMatchObject({ min: 1, max: 100 });
  });
  it('parses whole numbers people type', () => {
    expect(parseWhole('1,500', 1, 1e9)).toBe(1500);
    expect(parseWhole(' 80 ', 1, 100)).toBe(80);
    expect(parseWhole('0', 1, 100)).toBeNull();
    expect(parseWhole('101', 1, 100)).toBeNull();
    expect(parseWhole('2.5', 1, 100)).toBeNull();
    expect(parseWhole('', 1, 100)).toBeNull();
    expect(parseWhole('-3', 1, 100)).toBeNull();
  });
  it('parses dollar amounts', () => {
    expect(parseDollars('62.5')).toBe('62.50');
    expect(parseDollars('$1,000')).toBe('1000.00');
    expect(parseDollars('0')).toBe('0.00');
    expect(parseDollars('12.345')).toBeNull();
    expect(parseDollars('abc')).toBeNull();
    expect(parseDollars('100001')).toBeNull();
  });
  it('words agent ROI', () => {
    expect(roiText({ formatted: '$300.00' }, { formatted: '$10.65' })).toBe('saves $300 of work for $10.65 of credits');
    expect(roiText(null, { formatted: '$10.65' })).toBeNull();
  });
  it('round-trips limit targets', () => {
    expect(decodeTarget(encodeTarget({ category: 'CHAT' }))).toEqual({ category: 'CHAT' });
    expect(decodeTarget(encodeTarget({ agentID: '42' }))).toEqual({ agentID: '42' });
    expect(decodeTarget('category:NOPE')).toBeNull();
    expect(decodeTarget('agent:')).toBeNull();
  });
});
