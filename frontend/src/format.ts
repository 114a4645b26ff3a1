// Formatting helpers. Pure functions, unit-tested in format.test.ts.
import type { RunFrequency, UsageCategory } from './gql/graphql';

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 3891 → "3,891". Large integers keep every digit. */
export function formatCredits(n: number): string {
  return intFmt.format(Math.round(n));
}

/** A count followed by "credit"/"credits". */
export function creditsLabel(n: number): string {
  return `${formatCredits(n)} ${Math.round(n) === 1 ? 'credit' : 'credits'}`;
}

/** 22.18 → "22.2%"; whole numbers drop the decimal: 100 → "100%". */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '0%';
  const rounded = Math.round(p * 10) / 10;
  return `${rounded.toFixed(Number.isInteger(rounded) ? 0 : 1)}%`;
}

const oneDecimalFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Average credits with at most one decimal: 123.456 → "123.5", 40 → "40". */
export function formatAverage(n: number): string {
  return oneDecimalFmt.format(n);
}

const dateFmt = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * An RFC 3339 time as a calendar date: in UTC by default (billing periods are
 * UTC), "Aug 14, 2026"; `local` uses the browser's time zone.
 */
export function formatDate(iso: string, local = false, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (!local) return dateFmt.format(d);
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone }).format(d);
}

/** Time of day: "9:05 AM" (browser's zone unless given). */
export function formatTime(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone }).format(d);
}

/** Date and time for a run, in the given time zone (the browser's by default). */
export function formatDateTime(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(d);
}

const FREQUENCY: Record<RunFrequency, string> = {
  HOURLY: 'Every hour',
  DAILY: 'Every day',
  WEEKDAYS: 'Every weekday',
  WEEKLY: 'Once a week',
  MONTHLY: 'Once a month',
  MANUAL: 'When started by hand',
};

export function frequencyLabel(f: RunFrequency): string {
  return FREQUENCY[f] ?? f;
}

/** The categories in the order the page lists them. */
export const CATEGORIES = ['IMAGE', 'VIDEO', 'CHAT', 'AGENT'] as const satisfies readonly UsageCategory[];

const CATEGORY: Record<UsageCategory, string> = {
  IMAGE: 'Images',
  VIDEO: 'Videos',
  CHAT: 'Chat',
  AGENT: 'Agents',
};

export function categoryLabel(c: UsageCategory): string {
  return CATEGORY[c] ?? c;
}

/** Hours with at most one decimal: "6 hours", "1 hour", "2.5 hours". */
export function formatHours(h: number): string {
  const v = formatAverage(h);
  return `${v} ${v === '1' ? 'hour' : 'hours'}`;
}

/**
 * Cost per hour saved, from an exact decimal amount string, rounded
 * half-up to cents: ("10.52", 6) → "$1.75". Null when hours is not positive.
 */
export function costPerHour(amount: string, hours: number): string | null {
  if (!(hours > 0)) return null;
  const v = Number(amount);
  if (!Number.isFinite(v)) return null;
  const cents = Math.round((v / hours) * 100 + 1e-9);
  return `$${intFmt.format(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A small unit price from an exact decimal string, with 2 to 4 decimals:
 * "0.009" → "$0.009", "0.01" → "$0.01", "0.00833333" → "$0.0083".
 */
export function formatUnitPrice(amount: string, symbol = '$'): string {
  const v = Number(amount);
  if (!Number.isFinite(v)) return `${symbol}${amount}`;
  let s = v.toFixed(4);
  while (s.endsWith('0') && s.length - s.indexOf('.') > 3) s = s.slice(0, -1);
  return `${symbol}${s}`;
}

/** Whole-percent saving of a unit price against a reference: (0.008, 0.01) → 20. */
export function savingPercent(unit: number, reference: number): number {
  if (!(reference > 0) || !(unit < reference)) return 0;
  return Math.round((1 - unit / reference) * 100);
}

const shortDateFmt = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * A UTC calendar date without the year when it falls in the same year as
 * `reference` (default: now): "Dec 12"; otherwise "Jan 3, 2027".
 */
export function formatShortDate(iso: string, reference: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (d.getUTCFullYear() !== reference.getUTCFullYear()) return dateFmt.format(d);
  return shortDateFmt.format(d);
}

/** A whole-dollar amount without its cents: "$300.00" → "$300"; "$10.65" stays. */
export function compactMoney(formatted: string): string {
  return formatted.replace(/\.00$/, '');
}
