import { useEffect, useState } from 'preact/hooks';
import type { LiveStatus } from '../live';

/** How long "Updated just now" shows after a live update. */
const RECENT_MS = 5000;

export function liveStatusText(status: LiveStatus, recentlyUpdated: boolean): string {
  switch (status) {
    case 'live':
      return recentlyUpdated ? 'Live · updated just now' : 'Live';
    case 'reconnecting':
      return 'Reconnecting… figures may be out of date';
    default:
      return 'Connecting to live updates…';
  }
}

/**
 * A quiet line under the page title: whether figures update live, and when
 * they just did. Screen readers hear connection changes, not every update.
 */
export function LiveStatusLine({ status, updatedAt }: { status: LiveStatus; updatedAt: number | null }) {
  const [recent, setRecent] = useState(false);
  useEffect(() => {
    if (updatedAt === null) return;
    setRecent(true);
    const t = setTimeout(() => setRecent(false), RECENT_MS);
    return () => clearTimeout(t);
  }, [updatedAt]);
  const text = liveStatusText(status, recent && status === 'live');
  return (
    <p class="live" data-testid="live-status" data-state={status} data-recent={recent ? 'true' : undefined}>
      <span class="live__dot" aria-hidden="true" />
      <span class="visually-hidden" role="status">
        {liveStatusText(status, false)}
      </span>
      <span aria-hidden="true">{text}</span>
    </p>
  );
}
