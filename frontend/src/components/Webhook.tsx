import { useState } from 'preact/hooks';
import { request } from '../api';
import { RemoveWebhookDocument, SetWebhookDocument, WebhookDocument } from '../gql/graphql';
import { useAction, useQuery } from '../hooks';
import { ErrorBox, Loading } from './ui';
import { IconCheck, IconCopy } from './icons';

/** Whether a typed URL is one the server accepts (http or https with a host). */
export function isWebhookUrl(raw: string): boolean {
  try {
    const u = new URL(raw.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.host !== '' && raw.trim().length <= 2000;
  } catch {
    return false;
  }
}

function SecretBox({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div class="secret" role="status" data-testid="webhook-secret">
      <p class="secret__title">Copy your signing secret now: it won't be shown again.</p>
      <div class="secret__row">
        <code class="secret__value" data-field="secret">
          {secret}
        </code>
        <button type="button" class="button button--secondary button--small" onClick={() => void copy()}>
          {copied === 'yes' ? <IconCheck /> : <IconCopy />}
          <span>{copied === 'yes' ? 'Copied' : 'Copy'}</span>
        </button>
      </div>
      {copied === 'no' && <p class="field-error">Copying isn't allowed here; select the secret and copy it by hand.</p>}
      <p class="secret__note">
        To verify a delivery, compute the hex HMAC-SHA256 of <code>{'<X-AIUsage-Timestamp>.<raw body>'}</code> with this
        secret and compare it with the <code>v1=</code> value of the <code>X-AIUsage-Signature</code> header. Reject
        timestamps older than 5 minutes.
      </p>
      <button type="button" class="link-button" onClick={onDone}>
        I've saved it
      </button>
    </div>
  );
}

/** Where alerts are POSTed, signed with a secret shown once. */
export function Webhook() {
  const q = useQuery(WebhookDocument, undefined);
  const current = q.data?.viewer.webhookUrl;
  const [url, setUrl] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const save = useAction();
  const remove = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = isWebhookUrl(url);
    setInvalid(!ok);
    if (!ok) return;
    await save.run(async () => {
      const d = await request(SetWebhookDocument, { url: url.trim() });
      setSecret(d.setWebhook.secret);
      setUrl('');
      q.refetch();
    }, "The webhook wasn't saved.");
  };

  return (
    <section class="control" aria-labelledby="webhook-title" data-testid="webhook">
      <h3 id="webhook-title" class="control__title">
        Webhook
      </h3>
      <p class="control__lead">
        Alerts are also POSTed as signed JSON to this address, retried if it fails.
        {current ? ' Replacing it issues a new signing secret.' : ''}
      </p>
      {q.data === null && q.loading && <Loading label="Loading the webhook" lines={1} />}
      {q.data === null && !q.loading && <ErrorBox error={q.error} what="your webhook" onRetry={q.refetch} />}
      {q.data && current && (
        <div class="control__item">
          <span class="control__item-main webhook__url" data-testid="webhook-url">
            {current}
          </span>
          <button
            type="button"
            class="button button--secondary button--small"
            disabled={remove.busy}
            onClick={() =>
              void remove
                .run(() => request(RemoveWebhookDocument), "The webhook wasn't removed.")
                .then((ok) => {
                  if (ok) {
                    setSecret(null);
                    q.refetch();
                  }
                })
            }
          >
            Remove
          </button>
        </div>
      )}
      {q.data && !current && <p class="control__empty">No webhook set.</p>}
      {remove.error && (
        <p class="inline-error" role="alert">
          {remove.error}
        </p>
      )}
      {secret && <SecretBox secret={secret} onDone={() => setSecret(null)} />}
      <form class="control__form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field field--grow">
          <label for="webhook-url" class="label">
            {current ? 'New webhook URL' : 'Webhook URL'}
          </label>
          <input
            id="webhook-url"
            class="input"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            placeholder="https://example.com/hooks/ai-usage"
            value={url}
            aria-invalid={invalid}
            aria-describedby={invalid ? 'webhook-url-error' : undefined}
            onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="button button--primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : current ? 'Replace' : 'Save webhook'}
        </button>
        {invalid && (
          <p id="webhook-url-error" class="field-error control__form-msg" role="alert">
            Enter a full http:// or https:// address.
          </p>
        )}
        {save.error && (
          <p class="inline-error control__form-msg" role="alert">
            {save.error}
          </p>
        )}
      </form>
    </section>
  );
}
