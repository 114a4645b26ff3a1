// Geometry of the usage-history bar chart, kept free of the UI so it can be
// unit-tested: a "nice" value axis, stacked segments and bar positions.

export interface Scale {
  /** Top of the value axis (≥ the largest bar). */
  max: number;
  step: number;
  /** Gridline values from 0 to max. */
  ticks: number[];
}

/**
 * A value axis from 0 with round steps (1, 2, 2.5 or 5 × 10ⁿ, whole credits)
 * reaching at least `max`, with about `target` intervals.
 */
export function niceScale(max: number, target = 4): Scale {
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  if (top === 0) return { max: target, step: 1, ticks: Array.from({ length: target + 1 }, (_, i) => i) };
  const rough = top / target;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag);
  const whole = Number.isInteger(step) ? step : Math.ceil(step);
  const n = Math.max(1, Math.ceil(top / whole));
  return { max: n * whole, step: whole, ticks: Array.from({ length: n + 1 }, (_, i) => i * whole) };
}

export interface Segment {
  key: string;
  credits: number;
  /** Top edge, in px from the top of the plot. */
  y: number;
  height: number;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * One day's stacked segments, first item at the bottom. Heights are
 * proportional to credits on a `scaleMax` axis `plotHeight` px tall; a
 * non-zero segment is at least `minHeight` px so small usage stays visible.
 */
export function stackSegments(
  items: { key: string; credits: number }[],
  scaleMax: number,
  plotHeight: number,
  minHeight = 1,
): Segment[] {
  if (!(scaleMax > 0)) return [];
  let bottom = plotHeight;
  const out: Segment[] = [];
  for (const it of items) {
    if (!(it.credits > 0)) continue;
    const h = Math.max(minHeight, (it.credits / scaleMax) * plotHeight);
    bottom -= h;
    out.push({ key: it.key, credits: it.credits, y: round2(bottom), height: round2(h) });
  }
  return out;
}

export interface BarSlot {
  /** Left edge of the bar. */
  x: number;
  width: number;
  /** Left edge and width of the whole slot (the hover and focus target). */
  slotX: number;
  slotWidth: number;
  center: number;
}

/** Positions of `count` bars spread over `width` px starting at `left`. */
export function barSlots(count: number, width: number, left = 0, fill = 0.72, maxBar = 28): BarSlot[] {
  if (count <= 0 || width <= 0) return [];
  const slot = width / count;
  const w = Math.max(1, Math.min(slot * fill, maxBar));
  return Array.from({ length: count }, (_, i) => {
    const slotX = left + i * slot;
    return {
      x: round2(slotX + (slot - w) / 2),
      width: round2(w),
      slotX: round2(slotX),
      slotWidth: round2(slot),
      center: round2(slotX + slot / 2),
    };
  });
}

/**
 * Which days get a date under the axis: at most `max` of them, evenly
 * spaced and always including the last day (today).
 */
export function labelIndices(count: number, max: number): number[] {
  if (count <= 0 || max <= 0) return [];
  const step = Math.max(1, Math.ceil(count / max));
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i -= step) out.unshift(i);
  return out;
}

/** Short axis numbers: 950 → "950", 1200 → "1.2k", 15000 → "15k". */
export function axisNumber(v: number): string {
  if (v < 1000) return String(v);
  const k = v / 1000;
  return `${Number.isInteger(k) ? k : k.toFixed(1).replace(/\.0$/, '')}k`;
}

/** Total, whole-credit daily average and busiest day of a run of days. */
export function historySummary<D extends { day: string; totalCredits: number }>(days: D[]) {
  let total = 0;
  let busiest: D | null = null;
  for (const d of days) {
    total += d.totalCredits;
    if (d.totalCredits > 0 && (!busiest || d.totalCredits > busiest.totalCredits)) busiest = d;
  }
  return { total, average: days.length ? Math.round(total / days.length) : 0, busiest };
}
