// Labels and input rules for the spending controls (alerts, limits, ROI).
import type { AlertKind, UsageCategory } from './gql/graphql';
import { CATEGORIES, categoryLabel, compactMoney, formatCredits } from './format';

/** The largest credit amount a control accepts (as the API does). */
export const MAX_CREDITS = 1_000_000_000;

export interface ThresholdSpec {
  kind: AlertKind;
  /** The choice in the "Alert me when…" list. */
  option: string;
  /** Input label and unit; null when the kind takes no threshold. */
  unit: string | null;
  min: number;
  max: number;
  initial: number;
}

export const ALERT_KINDS: ThresholdSpec[] = [
  { kind: 'USED_PERCENT', option: 'Credits used reach', unit: '% used', min: 1, max: 100, initial: 80 },
  { kind: 'REMAINING_BELOW', option: 'Credits left fall below', unit: 'credits left', min: 1, max: MAX_CREDITS, initial: 500 },
  { kind: 'RUNWAY_BELOW_DAYS', option: 'Credits run out within', unit: 'days', min: 1, max: 365, initial: 7 },
  { kind: 'SOFT_LIMIT_REACHED', option: 'A soft limit is reached', unit: null, min: 0, max: 0, initial: 0 },
];

export function thresholdSpec(kind: AlertKind): ThresholdSpec {
  return ALERT_KINDS.find((k) => k.kind === kind) ?? ALERT_KINDS[0];
}

/** A rule in words: "When 80% of your credits are used". */
export function alertRuleLabel(kind: AlertKind, threshold: number): string {
  switch (kind) {
    case 'USED_PERCENT':
      return `When ${threshold}% of your credits are used`;
    case 'REMAINING_BELOW':
      return `When fewer than ${formatCredits(threshold)} credits are left`;
    case 'RUNWAY_BELOW_DAYS':
      return `When credits will run out within ${threshold} ${threshold === 1 ? 'day' : 'days'}`;
    case 'SOFT_LIMIT_REACHED':
      return 'When a soft monthly limit is reached';
    default:
      return String(kind);
  }
}

/** The heading of an alert banner. */
export function alertTitle(kind: AlertKind): string {
  switch (kind) {
    case 'USED_PERCENT':
      return 'Usage alert';
    case 'REMAINING_BELOW':
      return 'Credits running low';
    case 'RUNWAY_BELOW_DAYS':
      return 'Credits may run out soon';
    case 'SOFT_LIMIT_REACHED':
      return 'Spending limit reached';
    default:
      return 'Alert';
  }
}

/**
 * A whole number typed by a person ("1,500" allowed), within bounds; null
 * when it is not one.
 */
export function parseWhole(raw: string, min: number, max: number): number | null {
  const s = raw.replace(/[,\s_]/g, '');
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** A dollar amount typed by a person ("$62.5" → "62.50"); null if invalid. */
export function parseDollars(raw: string, max = 100_000): string | null {
  const s = raw.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const n = Number(s);
  if (!(n >= 0 && n <= max)) return null;
  return n.toFixed(2);
}

/** "saves $300 of work for $10.65 of credits"; null without a time value. */
export function roiText(timeSaved: { formatted: string } | null | undefined, cost: { formatted: string }): string | null {
  if (!timeSaved) return null;
  return `saves ${compactMoney(timeSaved.formatted)} of work for ${cost.formatted} of credits`;
}

export type LimitTarget = { category: UsageCategory } | { agentID: string };

/** "Images" or the agent's name. */
export function limitTargetLabel(l: { category?: UsageCategory | null; agent?: { name: string } | null }): string {
  if (l.agent) return l.agent.name;
  if (l.category) return categoryLabel(l.category);
  return 'Unknown';
}

/** Encodes a limit target for a <select> value and back. */
export function encodeTarget(t: LimitTarget): string {
  return 'category' in t ? `category:${t.category}` : `agent:${t.agentID}`;
}

export function decodeTarget(v: string): LimitTarget | null {
  const [type, id] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
  if (type === 'category' && (CATEGORIES as readonly string[]).includes(id)) return { category: id as UsageCategory };
  if (type === 'agent' && id) return { agentID: id };
  return null;
}
