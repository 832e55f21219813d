import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AccessPage } from './access';
import { ApiError, get, session, whenUnauthenticated, type Me, type Role } from './api';
import { FinancePage, ReconciliationPage, ReconciliationsPage, SettlementPage } from './finance';
import { OrderPage, OrdersList } from './orders';
import type { ConsoleSettings } from './types';
import { ErrorMessage, Field, href, useRoute } from './ui';

/** What each role sees: only what its key may call (the API checks it again). */
const SECTIONS: Record<Role, { id: string; label: string }[]> = {
  support: [{ id: 'orders', label: 'Orders' }],
  finance: [
    { id: 'orders', label: 'Orders' },
    { id: 'finance', label: 'Finance' },
    { id: 'reconciliations', label: 'Reconciliation' },
  ],
  admin: [
    { id: 'finance', label: 'Finance' },
    { id: 'access', label: 'Access' },
  ],
  checkout: [],
};

function SignIn({ onSignedIn, reason }: { onSignedIn: (me: Me, key: string) => void; reason: string }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    document.title = 'Sign in · Borderline console';
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await get<Me>('/v1/me', key.trim());
      if (SECTIONS[me.role].length === 0) {
        setError(
          new ApiError(
            0,
            'NOT_FOR_THE_CONSOLE',
            `A ${me.role} key cannot use the console: sign in with a support, finance or admin key.`,
          ),
        );
        return;
      }
      onSignedIn(me, key.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <h1>Borderline console</h1>
      <p>
        Sign in with a support, finance or admin API key. It is kept in this tab only, and forgotten when the
        tab closes.
      </p>
      {reason ? (
        <p class="notice" role="status">
          {reason}
        </p>
      ) : null}
      <form onSubmit={submit} aria-label="Sign in">
        <Field label="API key" id="signin-key">
          <input
            id="signin-key"
            name="key"
            type="password"
            required
            autoComplete="off"
            spellcheck={false}
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </Field>
        <ErrorMessage error={error} title="Could not sign in:" />
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function Shell({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const route = useRoute();
  const sections = SECTIONS[me.role];
  const [settings, setSettings] = useState<ConsoleSettings | undefined>(undefined);
  useEffect(() => {
    get<ConsoleSettings>('/v1/console/settings').then(setSettings, () => undefined);
  }, []);
  const [first, second, third] = route;
  const section = sections.some((s) => s.id === first) ? first! : sections[0]!.id;
  useEffect(() => {
    if (first !== section) location.replace(href(section));
  }, [first, section]);

  let page;
  if (section === 'orders')
    page = second ? <OrderPage orderId={second} role={me.role} settings={settings} /> : <OrdersList />;
  else if (section === 'finance')
    page =
      second === 'settlements' && third ? <SettlementPage runId={third} /> : <FinancePage role={me.role} />;
  else if (section === 'reconciliations')
    page = second ? <ReconciliationPage id={second} role={me.role} /> : <ReconciliationsPage />;
  else page = <AccessPage />;

  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Borderline console</span>
        <nav aria-label="Sections">
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <a href={href(s.id)} aria-current={s.id === section ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {me.name} · <strong class="role">{me.role}</strong>
          </span>
          <button type="button" class="button small" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(session.key() !== null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    whenUnauthenticated(() => {
      session.clear();
      setMe(null);
      setReason('The API key is not valid any more (revoked or rotated): sign in again.');
    });
    if (!session.key()) return;
    get<Me>('/v1/me').then(
      (found) => {
        setMe(found);
        setChecking(false);
      },
      () => {
        session.clear();
        setChecking(false);
      },
    );
  }, []);
  if (checking) return <p class="boot">Checking your session…</p>;
  if (!me)
    return (
      <SignIn
        reason={reason}
        onSignedIn={(found, key) => {
          session.set(key);
          setReason('');
          setMe(found);
        }}
      />
    );
  return (
    <Shell
      me={me}
      onSignOut={() => {
        session.clear();
        sessionStorage.clear();
        setMe(null);
        location.hash = '';
      }}
    />
  );
}

const root = document.getElementById('app')!;
root.replaceChildren(); // the "Loading…" placeholder of index.html
render(<App />, root);
