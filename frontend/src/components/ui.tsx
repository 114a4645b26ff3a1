import type { ComponentChildren } from 'preact';
import { humanError } from '../errors';

export function Card(props: {
  title: string;
  id: string;
  action?: ComponentChildren;
  subtitle?: ComponentChildren;
  class?: string;
  /** Briefly highlights the card: its figures were just updated live. */
  updated?: boolean;
  children: ComponentChildren;
}) {
  return (
    <section
      class={`card ${props.class ?? ''}${props.updated ? ' card--updated' : ''}`}
      aria-labelledby={props.id}
      data-updated={props.updated ? 'true' : undefined}
    >
      <header class="card__header">
        <div>
          <h2 id={props.id} class="card__title">
            {props.title}
          </h2>
          {props.subtitle && <p class="card__subtitle">{props.subtitle}</p>}
        </div>
        {props.action}
      </header>
      {props.children}
    </section>
  );
}

export function Loading({ label, lines = 3 }: { label: string; lines?: number }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} class={`skeleton skeleton--${i % 3}`} aria-hidden="true" />
      ))}
    </div>
  );
}

export function ErrorBox({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what: string }) {
  return (
    <div class="error-box" role="alert">
      <p>
        <strong>{`We couldn't load ${what}.`}</strong> {humanError(error)}
      </p>
      {onRetry && (
        <button type="button" class="button button--secondary button--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ icon, title, children }: { icon: ComponentChildren; title: string; children: ComponentChildren }) {
  return (
    <div class="empty">
      <div class="empty__icon">{icon}</div>
      <p class="empty__title">{title}</p>
      <p class="empty__text">{children}</p>
    </div>
  );
}
