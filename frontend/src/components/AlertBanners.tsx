import { useRef, useState } from 'preact/hooks';
import { request } from '../api';
import { AlertsDocument, DismissAlertDocument } from '../gql/graphql';
import { humanError } from '../errors';
import { useQuery } from '../hooks';
import { useApp } from '../context';
import { alertTitle } from '../controls';
import { formatDateTime } from '../format';
import { IconBell, IconClose } from './icons';

/**
 * Active alerts (raised by the account's alert rules) as banners above the
 * figures. Dismissing one hides it for good; new ones arrive with the live
 * refetch and are announced politely.
 */
export function AlertBanners() {
  const { version } = useApp();
  const q = useQuery(AlertsDocument, undefined, version);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const alerts = (q.data?.viewer.alerts ?? []).filter((a) => !dismissed.has(a.id));

  const dismiss = async (id: string, index: number) => {
    setError(null);
    setDismissed((s) => new Set(s).add(id));
    // Keep the keyboard where it was: on the next alert, else the page.
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('.alert-banner__dismiss');
    const next = buttons?.[index + 1] ?? buttons?.[index - 1];
    if (next) next.focus();
    else document.getElementById('main')?.focus();
    try {
      await request(DismissAlertDocument, { id });
    } catch (e) {
      setDismissed((s) => {
        const n = new Set(s);
        n.delete(id);
        return n;
      });
      setError(`That alert couldn't be dismissed. ${humanError(e)}`);
    }
  };

  return (
    <section class="alerts" aria-label="Alerts" aria-live="polite" data-testid="alerts">
      {alerts.length > 0 && (
        <ul class="alerts__list" ref={list}>
          {alerts.map((a, i) => (
            <li key={a.id} class={`alert-banner alert-banner--${a.kind.toLowerCase()}`} data-alert-id={a.id} data-kind={a.kind}>
              <IconBell class="alert-banner__icon" />
              <div class="alert-banner__body">
                <p class="alert-banner__title">{alertTitle(a.kind)}</p>
                <p class="alert-banner__message" data-field="message">
                  {a.message}
                </p>
                <p class="alert-banner__time">
                  <time dateTime={a.createdAt}>{formatDateTime(a.createdAt)}</time>
                </p>
              </div>
              <button
                type="button"
                class="icon-button alert-banner__dismiss"
                aria-label={`Dismiss alert: ${alertTitle(a.kind)}`}
                onClick={() => void dismiss(a.id, i)}
              >
                <IconClose />
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
