// Decorative icons; hidden from assistive technology.
type P = { class?: string };
const base = {
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  'stroke-width': 2,
  'stroke-linecap': 'round' as const,
  'stroke-linejoin': 'round' as const,
  'aria-hidden': 'true' as const,
  focusable: 'false' as const,
  width: 20,
  height: 20,
};
export const IconSpark = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z" />
    <path d="M19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z" />
  </svg>
);
export const IconPlus = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M12 5v14M5 12h14" />
  </svg>
);
export const IconClose = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M6 6l12 12M18 6L6 18" />
  </svg>
);
export const IconWarn = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M12 3l10 18H2z" />
    <path d="M12 10v4M12 17.5v.01" />
  </svg>
);
export const IconChevron = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M9 6l6 6-6 6" />
  </svg>
);
export const IconBot = (p: P) => (
  <svg {...base} class={p.class}>
    <rect x="4" y="8" width="16" height="12" rx="3" />
    <path d="M12 4v4M9 14h.01M15 14h.01" />
  </svg>
);
export const IconChart = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M21 12a9 9 0 1 1-9-9v9z" />
    <path d="M15 3.5A9 9 0 0 1 20.5 9H15z" />
  </svg>
);
export const IconCheck = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M5 12.5l4.5 4.5L19 7" />
  </svg>
);
export const IconLogo = (p: P) => (
  <svg viewBox="0 0 32 32" width={28} height={28} aria-hidden="true" focusable="false" class={p.class}>
    <rect width="32" height="32" rx="8" fill="#4338ca" />
    <path d="M9 10l7 13 7-13" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round" />
  </svg>
);
export const IconBell = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
    <path d="M10 20.5a2 2 0 0 0 4 0" />
  </svg>
);
export const IconDownload = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M12 4v11M7 10.5l5 5 5-5M5 20h14" />
  </svg>
);
export const IconCopy = (p: P) => (
  <svg {...base} class={p.class}>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15V6a2 2 0 0 1 2-2h9" />
  </svg>
);
export const IconTrend = (p: P) => (
  <svg {...base} class={p.class}>
    <path d="M3 17l6-6 4 4 8-8" />
    <path d="M15 7h6v6" />
  </svg>
);
