import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { IconClose } from './icons';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface Props {
  labelId: string;
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  onClose: () => void;
  variant?: 'center' | 'side';
  children: ComponentChildren;
}

/**
 * An accessible modal built on <dialog>: the rest of the page is inert, focus
 * is trapped inside, Escape and the close button close it, and focus returns
 * to whatever opened it. Mount it to open it.
 */
export function Modal({ labelId, title, subtitle, onClose, variant = 'center', children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const d = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    const first = d.querySelector<HTMLElement>('[data-autofocus]') ?? d.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (d.open) d.close();
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      closeRef.current();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = Array.from(ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && (document.activeElement === first || !ref.current!.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      class={`modal modal--${variant}`}
      aria-labelledby={labelId}
      aria-modal="true"
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault();
        closeRef.current();
      }}
      onClick={(e) => {
        if (e.target === ref.current) closeRef.current();
      }}
    >
      <div class="modal__body">
        <header class="modal__header">
          <div>
            <h2 id={labelId} class="modal__title">
              {title}
            </h2>
            {subtitle && <p class="modal__subtitle">{subtitle}</p>}
          </div>
          <button type="button" class="icon-button" aria-label="Close" onClick={() => closeRef.current()}>
            <IconClose />
          </button>
        </header>
        <div class="modal__content">{children}</div>
      </div>
    </dialog>
  );
}
