import { useEffect, useState } from 'preact/hooks';
import { routeFor } from './state';

const listeners = new Set<() => void>();

/** Client-side navigation: updates the address without reloading the page. */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else if (path !== location.pathname) history.pushState(null, '', path);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function useRoute() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  const r = routeFor(path);
  useEffect(() => {
    if (r.route !== 'notfound' && r.canonical !== path) {
      history.replaceState(null, '', r.canonical);
      setPath(r.canonical);
    }
  }, [path, r.canonical, r.route]);
  return r.route;
}

/** Click handler for in-app links: plain left clicks navigate without a reload. */
export function linkClick(e: MouseEvent, href: string, after?: () => void): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (!href.startsWith('/')) return;
  e.preventDefault();
  navigate(href);
  after?.();
}
