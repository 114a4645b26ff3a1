import { useState } from 'preact/hooks';
import { getApiKey, notifyUnauthenticated } from '../api';
import { downloadUsageCsv } from '../download';
import { humanError, isUnauthenticated } from '../errors';
import { IconDownload } from './icons';

/** "Download CSV": the usage records of the range, one row per charge. */
export function ExportButton({ range, label }: { range: { from: string; to: string }; label: string }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    const key = getApiKey();
    if (busy || !key) return;
    setBusy(true);
    setError(null);
    setStatus('Preparing your CSV…');
    try {
      const name = await downloadUsageCsv(key, range);
      setStatus(`Downloaded ${name}`);
    } catch (e) {
      setStatus('');
      if (isUnauthenticated(e)) notifyUnauthenticated();
      setError(`The export didn't download. ${humanError(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="export">
      <button
        type="button"
        class="button button--secondary button--small"
        onClick={() => void run()}
        aria-busy={busy}
        disabled={busy}
        title={`Usage records from ${range.from} to ${range.to}, one row per charge`}
        data-testid="export-csv"
      >
        <IconDownload />
        <span>{busy ? 'Preparing…' : 'Download CSV'}</span>
        <span class="visually-hidden"> of {label}</span>
      </button>
      <span class="visually-hidden" role="status">
        {status}
      </span>
      {error && (
        <p class="inline-error export__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
