// Downloading the usage export: GET /export/usage.csv with the API key.
import { ApiError } from './errors';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "YYYY-MM-DD" of a time, in UTC (the export's days are UTC days). */
export function isoDay(t: string | Date): string {
  const d = typeof t === 'string' ? new Date(t) : t;
  return d.toISOString().slice(0, 10);
}

/**
 * The export range for the last `days` UTC days, today included. With the
 * chart's days (from dailyUsage) the range is exactly what the chart shows.
 */
export function exportRange(days: number, now: Date = new Date(), shown?: { day: string }[]): { from: string; to: string } {
  if (shown && shown.length > 0) return { from: isoDay(shown[0].day), to: isoDay(shown[shown.length - 1].day) };
  const to = isoDay(now);
  const from = isoDay(new Date(Date.parse(to) - (Math.max(1, days) - 1) * DAY_MS));
  return { from, to };
}

/** A file name safe to save: no paths, no control characters. */
function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '').trim();
}

/**
 * The file name from a Content-Disposition header (RFC 6266: filename* wins
 * over filename), or `fallback` when there is none.
 */
export function filenameFromDisposition(header: string | null | undefined, fallback: string): string {
  if (header) {
    const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
    if (star) {
      try {
        const n = safeName(decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')));
        if (n) return n;
      } catch {
        /* malformed percent-encoding: fall through */
      }
    }
    const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
    if (plain) {
      const n = safeName((plain[1] ?? plain[2] ?? '').replace(/\\(.)/g, '$1').trim());
      if (n) return n;
    }
  }
  return fallback;
}

/** The file name used when the server sends none. */
export function fallbackFilename(from: string, to: string): string {
  return `ai-usage-${from}-to-${to}.csv`;
}

/**
 * Fetches the CSV with the key in the Authorization header (a plain link
 * could not send it) and saves it under the server's file name.
 */
export async function downloadUsageCsv(key: string, range: { from: string; to: string }): Promise<string> {
  const q = new URLSearchParams(range).toString();
  const res = await fetch(`/export/usage.csv?${q}`, {
    headers: { Authorization: `Bearer ${key}`, Accept: 'text/csv' },
  });
  if (!res.ok) {
    let code = res.status === 401 ? 'UNAUTHENTICATED' : res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL';
    try {
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[]; code?: string };
      code = body.errors?.[0]?.extensions?.code ?? body.code ?? code;
    } catch {
      /* not JSON */
    }
    throw new ApiError(`HTTP ${res.status}`, code, res.status);
  }
  const name = filenameFromDisposition(res.headers.get('Content-Disposition'), fallbackFilename(range.from, range.to));
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}
