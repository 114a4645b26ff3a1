import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { fetchDemoKey, getApiKey, notifyUnauthenticated, request, setApiKey, setUnauthenticatedHandler } from './api';
import { ViewerDocument, type ViewerQuery } from './gql/graphql';
import { humanError, isUnauthenticated } from './errors';
import { AppContext } from './context';
import { linkClick, useRoute } from './router';
import { PLAN_PATH, USAGE_PATH } from './state';
import { SignIn } from './components/SignIn';
import { UsagePage } from './components/UsagePage';
import { PlanPage } from './components/PlanPage';
import { BuyDialog } from './components/BuyDialog';
import { AskVista } from './components/AskVista';
import { IconLogo, IconPlus, IconSpark } from './components/icons';
import { formatCredits } from './format';
import { debounce, startLive, type LiveStatus } from './live';
import { LiveStatusLine } from './components/LiveStatus';

type Viewer = ViewerQuery['viewer'];
type Auth =
  | { status: 'checking' }
  | { status: 'signedOut'; error: string | null; busy: boolean }
  | { status: 'signedIn'; viewer: Viewer };

const SIGNED_OUT_FLAG = 'aiusage.signedOut';

export function App() {
  const [auth, setAuth] = useState<Auth>({ status: 'checking' });
  const [demoKey, setDemoKey] = useState<string | null>(null);

  /** Checks a key against the API; true when signed in. */
  const signIn = useCallback(async (key: string, fromForm: boolean): Promise<boolean> => {
    if (fromForm) setAuth({ status: 'signedOut', error: null, busy: true });
    try {
      const d = await request(ViewerDocument, undefined, key);
      setApiKey(key);
      sessionStorage.removeItem(SIGNED_OUT_FLAG);
      setAuth({ status: 'signedIn', viewer: d.viewer });
      return true;
    } catch (e) {
      setApiKey(null);
      const msg = isUnauthenticated(e)
        ? 'That API key was not accepted. Check that you copied the whole key and that it is still active.'
        : humanError(e);
      setAuth({ status: 'signedOut', error: fromForm ? msg : isUnauthenticated(e) ? null : msg, busy: false });
      return false;
    }
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setApiKey(null);
      setAuth({ status: 'signedOut', error: 'Your key is no longer accepted. Please sign in again.', busy: false });
    });
    (async () => {
      const stored = getApiKey();
      const demo = await fetchDemoKey();
      setDemoKey(demo);
      if (stored && (await signIn(stored, false))) return;
      if (demo && demo !== stored && !sessionStorage.getItem(SIGNED_OUT_FLAG) && (await signIn(demo, false))) return;
      if (!stored) setAuth({ status: 'signedOut', error: null, busy: false });
    })();
    return () => setUnauthenticatedHandler(null);
  }, [signIn]);

  const signOut = useCallback(() => {
    setApiKey(null);
    sessionStorage.setItem(SIGNED_OUT_FLAG, '1');
    setAuth({ status: 'signedOut', error: null, busy: false });
  }, []);

  if (auth.status === 'checking') {
    return (
      <main class="splash" id="main" aria-busy="true">
        <IconLogo />
        <p role="status">Loading your workspace…</p>
      </main>
    );
  }
  if (auth.status === 'signedOut') {
    return (
      <SignIn
        error={auth.error}
        busy={auth.busy}
        demoAvailable={demoKey != null}
        onSubmit={(k) => void signIn(k, true)}
        onDemo={() => demoKey && void signIn(demoKey, true)}
      />
    );
  }
  return <Shell viewer={auth.viewer} onSignOut={signOut} />;
}

function Shell({ viewer, onSignOut }: { viewer: Viewer; onSignOut: () => void }) {
  const route = useRoute();
  const [version, setVersion] = useState(0);
  const [buyOpen, setBuyOpen] = useState(false);
  const [vistaOpen, setVistaOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const [live, setLive] = useState<{ status: LiveStatus; updatedAt: number | null }>({
    status: 'connecting',
    updatedAt: null,
  });

  // One debounced refetch of the figures, a few at a time, for every reason
  // they change: a live event (a charge or purchase made anywhere), a
  // reconnection (events may have been missed meanwhile), and this page's
  // own purchases, whose live event then joins the same refetch.
  const refetch = useMemo(
    () =>
      debounce(
        () => {
          setVersion((v) => v + 1);
          setLive((l) => ({ ...l, updatedAt: Date.now() }));
        },
        300,
        2000,
      ),
    [],
  );
  useEffect(() => {
    const key = getApiKey();
    if (!key) return;
    const stop = startLive(key, {
      onChange: refetch,
      onResync: refetch,
      onStatus: (status) => setLive((l) => (l.status === status ? l : { ...l, status })),
      onForbidden: notifyUnauthenticated,
    });
    return () => {
      refetch.cancel();
      stop();
    };
  }, [refetch]);

  const ctx = useMemo(
    () => ({
      version,
      refresh: refetch,
      openBuy: () => setBuyOpen(true),
      viewer,
    }),
    [version, viewer, refetch],
  );

  const title = route === 'plan' ? 'Plan' : route === 'usage' ? 'AI usage' : 'Page not found';
  useEffect(() => {
    document.title = `${title} · Plan and Billing`;
  }, [title]);

  return (
    <AppContext.Provider value={ctx}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar__inner">
          <a class="brand" href={USAGE_PATH} onClick={(e) => linkClick(e, USAGE_PATH)}>
            <IconLogo />
            <span>Vista Social</span>
          </a>
          <div class="topbar__actions">
            <button type="button" class="button button--ghost" onClick={() => setVistaOpen(true)} aria-haspopup="dialog">
              <IconSpark />
              <span>Ask Vista</span>
            </button>
            <span class="account" title={`${viewer.name} · ${viewer.plan.name} plan`}>
              <span class="account__avatar" aria-hidden="true">
                {viewer.name.slice(0, 1).toUpperCase()}
              </span>
              <span class="account__text">
                <span class="account__name" data-testid="account-name">
                  {viewer.name}
                </span>
                <span class="account__plan">{viewer.plan.name} plan</span>
              </span>
            </span>
            <button type="button" class="button button--secondary button--small" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>

      <main id="main" class="page" tabIndex={-1}>
        <nav aria-label="Breadcrumb" class="breadcrumb">
          <ol>
            <li>Settings</li>
            <li>
              <a href={PLAN_PATH} onClick={(e) => linkClick(e, PLAN_PATH)}>
                Plan and Billing
              </a>
            </li>
            {route !== 'notfound' && (
              <li>
                <span aria-current="page">{title}</span>
              </li>
            )}
          </ol>
        </nav>
        <div class="page__header">
          <div>
            <h1 class="page__title" data-testid="page-heading">
              {title}
            </h1>
            {route === 'usage' && (
              <p class="page__lead">How many AI credits you have left, what used them and what your agents cost.</p>
            )}
            {route === 'plan' && <p class="page__lead">Your subscription and the AI credits it includes.</p>}
            {route !== 'notfound' && <LiveStatusLine status={live.status} updatedAt={live.updatedAt} />}
          </div>
          <button type="button" class="button button--primary" onClick={() => setBuyOpen(true)} aria-haspopup="dialog">
            <IconPlus />
            <span>Buy a credits bundle</span>
          </button>
        </div>
        <nav aria-label="Plan and Billing sections" class="tabs">
          <a
            href={PLAN_PATH}
            class="tab"
            aria-current={route === 'plan' ? 'page' : undefined}
            onClick={(e) => linkClick(e, PLAN_PATH)}
          >
            Plan
          </a>
          <a
            href={USAGE_PATH}
            class="tab"
            aria-current={route === 'usage' ? 'page' : undefined}
            onClick={(e) => linkClick(e, USAGE_PATH)}
          >
            AI usage
          </a>
        </nav>

        <p class="visually-hidden" role="status" aria-live="polite">
          {notice}
        </p>

        {route === 'usage' && <UsagePage />}
        {route === 'plan' && <PlanPage />}
        {route === 'notfound' && (
          <div class="card">
            <p>There is nothing at this address.</p>
            <p>
              <a href={USAGE_PATH} onClick={(e) => linkClick(e, USAGE_PATH)}>
                Go to AI usage
              </a>
            </p>
          </div>
        )}
      </main>

      {buyOpen && (
        <BuyDialog
          onClose={() => setBuyOpen(false)}
          onPurchased={(r) => {
            setNotice(
              `${formatCredits(r.bundle.credits)} credits added. You now have ${formatCredits(r.balance.remaining)} credits.`,
            );
            ctx.refresh();
          }}
        />
      )}
      {vistaOpen && <AskVista onClose={() => setVistaOpen(false)} />}
    </AppContext.Provider>
  );
}
