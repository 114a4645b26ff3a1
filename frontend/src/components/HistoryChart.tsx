import { useEffect, useRef, useState } from 'preact/hooks';
import type { DailyUsageQuery } from '../gql/graphql';
import { categoryLabel, formatCredits, formatShortDate } from '../format';
import { axisNumber, barSlots, labelIndices, niceScale, stackSegments } from '../chart';

export type Day = DailyUsageQuery['dailyUsage'][number];

const HEIGHT = 232;
const TOP = 10;
const BOTTOM = 28;
const LEFT = 40;
const RIGHT = 6;
const PLOT = HEIGHT - TOP - BOTTOM;
const TIP_W = 168;

/** "Nov 23: 35 credits — Images 20, Agents 15" (what a focused bar reads). */
export function dayLabel(d: Day): string {
  const date = formatShortDate(d.day);
  if (d.totalCredits === 0) return `${date}: no credits used`;
  const parts = d.categories.filter((c) => c.credits > 0).map((c) => `${categoryLabel(c.category)} ${formatCredits(c.credits)}`);
  return `${date}: ${formatCredits(d.totalCredits)} ${d.totalCredits === 1 ? 'credit' : 'credits'} — ${parts.join(', ')}`;
}

/** Follows an element's width, for drawing the SVG at its real pixel size. */
function useWidth(initial: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setWidth(Math.max(240, Math.floor(el.clientWidth)));
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

/**
 * Stacked daily bars, one colour per category (as in the donut). The chart
 * is one tab stop; arrow keys, Home and End move between days, and the
 * focused or hovered day shows its figures in a tooltip.
 */
export function HistoryChart({ days, rangeLabel }: { days: Day[]; rangeLabel: string }) {
  const { ref, width } = useWidth(720);
  const [focusIdx, setFocusIdx] = useState(days.length - 1);
  const [active, setActive] = useState<number | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  useEffect(() => {
    setFocusIdx(days.length - 1);
    setActive(null);
  }, [days.length]);

  const plotW = width - LEFT - RIGHT;
  const scale = niceScale(Math.max(0, ...days.map((d) => d.totalCredits)));
  const slots = barSlots(days.length, plotW, LEFT);
  const labels = new Set(labelIndices(days.length, Math.max(2, Math.floor(plotW / 64))));
  const y = (v: number) => TOP + PLOT - (v / scale.max) * PLOT;

  const move = (i: number) => {
    const next = Math.min(days.length - 1, Math.max(0, i));
    setFocusIdx(next);
    setActive(next);
    svg.current?.querySelector<SVGGElement>(`[data-index="${next}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const cur = active ?? focusIdx;
    const to: Record<string, number> = {
      ArrowLeft: cur - 1,
      ArrowRight: cur + 1,
      ArrowDown: cur - 1,
      ArrowUp: cur + 1,
      PageUp: cur - 7,
      PageDown: cur + 7,
      Home: 0,
      End: days.length - 1,
    };
    if (!(e.key in to)) return;
    e.preventDefault();
    move(to[e.key]);
  };

  const tip = active != null && days[active] ? tooltip(days[active], slots[active].center, width) : null;

  return (
    <div class="hist__chart" ref={ref}>
      <svg
        ref={svg}
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="group"
        aria-label={`Credits used per day, ${rangeLabel}, by category`}
        aria-describedby="hist-hint"
        onKeyDown={onKeyDown}
        onMouseLeave={() => setActive(null)}
        data-testid="history-chart"
        data-scale-max={scale.max}
      >
        <g class="hist__grid" aria-hidden="true">
          {scale.ticks.map((t) => (
            <g key={t}>
              <line x1={LEFT} x2={width - RIGHT} y1={y(t)} y2={y(t)} class={t === 0 ? 'hist__baseline' : undefined} />
              <text x={LEFT - 8} y={y(t) + 4} class="hist__ylabel">
                {axisNumber(t)}
              </text>
            </g>
          ))}
        </g>
        {days.map((d, i) => {
          const s = slots[i];
          const segs = stackSegments(
            d.categories.map((c) => ({ key: c.category, credits: c.credits })),
            scale.max,
            PLOT,
          );
          const byCat = Object.fromEntries(d.categories.map((c) => [`data-${c.category.toLowerCase()}`, c.credits]));
          return (
            <g
              key={d.day}
              class={`hist__day${active === i ? ' hist__day--active' : ''}`}
              role="img"
              aria-label={dayLabel(d)}
              tabIndex={i === focusIdx ? 0 : -1}
              data-index={i}
              data-day={d.day.slice(0, 10)}
              data-total={d.totalCredits}
              {...byCat}
              onFocus={() => {
                setFocusIdx(i);
                setActive(i);
              }}
              onBlur={() => setActive((a) => (a === i ? null : a))}
              onMouseEnter={() => setActive(i)}
            >
              <rect class="hist__hit" x={s.slotX} y={TOP} width={s.slotWidth} height={PLOT} />
              {segs.map((g) => (
                <rect
                  key={g.key}
                  class={`hist__seg cat--${g.key.toLowerCase()}`}
                  x={s.x}
                  y={TOP + g.y}
                  width={s.width}
                  height={g.height}
                />
              ))}
            </g>
          );
        })}
        <g aria-hidden="true">
          {days.map((d, i) =>
            labels.has(i) ? (
              <text key={d.day} y={HEIGHT - 8} class="hist__xlabel" {...labelAnchor(slots[i].center, LEFT, width - RIGHT)}>
                {formatShortDate(d.day)}
              </text>
            ) : null,
          )}
        </g>
        {tip}
      </svg>
      <p id="hist-hint" class="visually-hidden">
        Use the left and right arrow keys to move between days.
      </p>
    </div>
  );
}

/** Keeps a date label inside the chart: edge labels are anchored to the edge. */
function labelAnchor(center: number, left: number, right: number) {
  const half = 22; // about half the width of "Nov 25" at 11 px
  if (center + half > right) return { x: right, 'text-anchor': 'end' };
  if (center - half < left) return { x: left, 'text-anchor': 'start' };
  return { x: center, 'text-anchor': 'middle' };
}

/** The tooltip of one day, drawn inside the SVG beside its bar. */
function tooltip(d: Day, center: number, width: number) {
  const rows = d.categories.filter((c) => c.credits > 0);
  const h = 46 + Math.max(1, rows.length) * 18;
  let x = center + 12;
  if (x + TIP_W > width - RIGHT) x = center - 12 - TIP_W;
  x = Math.max(LEFT, x);
  return (
    <g class="hist__tip" transform={`translate(${Math.round(x)} ${TOP + 4})`} aria-hidden="true" data-testid="history-tooltip">
      <rect width={TIP_W} height={h} rx={8} class="hist__tip-bg" />
      <text x={12} y={20} class="hist__tip-date">
        {formatShortDate(d.day)}
      </text>
      <text x={TIP_W - 12} y={20} class="hist__tip-total">
        {formatCredits(d.totalCredits)} credits
      </text>
      {rows.length === 0 && (
        <text x={12} y={46} class="hist__tip-row">
          No credits used
        </text>
      )}
      {rows.map((c, i) => (
        <g key={c.category} transform={`translate(12 ${34 + i * 18})`}>
          <rect width={9} height={9} rx={2} y={2} class={`hist__seg cat--${c.category.toLowerCase()}`} />
          <text x={16} y={10} class="hist__tip-row">
            {categoryLabel(c.category)}
          </text>
          <text x={TIP_W - 24} y={10} class="hist__tip-num">
            {formatCredits(c.credits)}
          </text>
        </g>
      ))}
    </g>
  );
}
