// The runway forecast in words, from creditBalance.runway and periodEnd.
import { formatShortDate } from './format';

export interface Runway {
  dailyBurn: number;
  runsOutAt?: string | null;
  lastsUntilReset: boolean;
}

export type ForecastTone = 'idle' | 'ok' | 'warn';

export interface Forecast {
  tone: ForecastTone;
  text: string;
}

/** Daily burn as people read it: whole credits, one decimal under 10. */
export function formatBurn(perDay: number): string {
  const v = perDay >= 10 ? Math.round(perDay) : Math.round(perDay * 10) / 10;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(v);
}

/**
 * "At your current pace (≈171 credits/day), credits last until Jan 12; plan
 * credits reset on Dec 1." and its variants: running out before the reset
 * (a warning), not within a year, or no recent usage at all.
 */
export function runwayForecast(r: Runway, periodEnd: string, now: Date = new Date()): Forecast {
  const reset = formatShortDate(periodEnd, now);
  if (!(r.dailyBurn > 0)) {
    return { tone: 'idle', text: `No credits used in the last 7 days, so there is nothing to forecast. Plan credits reset on ${reset}.` };
  }
  const pace = `At your current pace (≈${formatBurn(r.dailyBurn)} ${r.dailyBurn === 1 ? 'credit' : 'credits'}/day)`;
  if (!r.runsOutAt) {
    return { tone: 'ok', text: `${pace}, your credits won't run out in the next 12 months; plan credits reset on ${reset}.` };
  }
  const out = formatShortDate(r.runsOutAt, now);
  if (!r.lastsUntilReset) {
    return { tone: 'warn', text: `${pace}, credits run out around ${out}, before your plan credits reset on ${reset}.` };
  }
  return { tone: 'ok', text: `${pace}, credits last until ${out}; plan credits reset on ${reset}.` };
}
