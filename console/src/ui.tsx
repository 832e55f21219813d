import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from './api';
import { words } from './format';

/** The current hash route, e.g. `#/orders/ord-1` → ['orders', 'ord-1']. */
export function useRoute(): string[] {
  const read = () =>
    location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .map((part) => decodeURIComponent(part));
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;

export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads `load()` when `deps` change; `reload()` loads again (keeping the data shown meanwhile). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** A list read a page at a time: the first page on load (and when `deps` change), then `more()`. */
export interface PagedList<T> {
  first: Loaded<{ data: T[]; nextCursor: string | null }>;
  rows: T[];
  cursor: string | null;
  more: () => Promise<void>;
  moreError: unknown;
}

/** `url(cursor)` is the page after `cursor` (the first page without one). */
export function usePagedList<T>(url: (cursor?: string) => string, deps: unknown[]): PagedList<T> {
  const [pages, setPages] = useState<T[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const first = useLoad(async () => {
    const page = await get<{ data: T[]; nextCursor: string | null }>(url());
    setPages([page.data]);
    setCursor(page.nextCursor);
    setMoreError(undefined);
    return page;
  }, deps);
  const more = async () => {
    if (!cursor) return;
    try {
      const page = await get<{ data: T[]; nextCursor: string | null }>(url(cursor));
      setPages((p) => [...p, page.data]);
      setCursor(page.nextCursor);
      setMoreError(undefined);
    } catch (error) {
      setMoreError(error);
    }
  };
  return { first, rows: pages.flat(), cursor, more, moreError };
}

/** The footer of a paged list: the error of the last "more", and the button while there is more. */
export function LoadMore({ list, label }: { list: PagedList<unknown>; label: string }) {
  return (
    <>
      <ErrorMessage error={list.moreError} />
      {list.cursor ? (
        <button type="button" class="button" onClick={list.more}>
          {label}
        </button>
      ) : null}
    </>
  );
}

/** A table row across `columns` columns saying the table is empty. */
export function EmptyRow({ columns, children }: { columns: number; children: ComponentChildren }) {
  return (
    <tr>
      <td colSpan={columns} class="empty">
        {children}
      </td>
    </tr>
  );
}

/** Calls `fn` every `ms` while `active`. */
export function useInterval(fn: () => void, ms: number, active: boolean): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return undefined;
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [ms, active]);
}

/** An API error as the API gave it: code, message, field, request id. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e =
    error instanceof ApiError
      ? error
      : new ApiError(0, 'ERROR', error instanceof Error ? error.message : String(error));
  return (
    <div class="error" role="alert">
      {title ? <strong>{title} </strong> : null}
      <span class="error-status">{e.status ? `${e.status} ` : ''}</span>
      <code class="error-code">{e.code}</code>: <span class="error-message">{e.message}</span>
      {e.field ? <span class="error-field"> (field: {e.field})</span> : null}
      {e.requestId ? <span class="error-request"> · request {e.requestId}</span> : null}
    </div>
  );
}

const TONE: Record<string, string> = {
  completed: 'ok',
  delivered: 'ok',
  done: 'ok',
  paid: 'ok',
  matched: 'ok',
  cancelled: 'muted',
  rejected: 'muted',
  compensated: 'muted',
  skipped: 'muted',
  nothing_due: 'muted',
  failed: 'bad',
  needs_attention: 'bad',
  delivery_exception: 'bad',
  refused: 'bad',
  missing: 'bad',
  extra: 'bad',
  different_amount: 'bad',
  awaiting_review: 'warn',
  awaiting_customs_correction: 'warn',
  held: 'warn',
  carried_forward: 'warn',
  running: 'info',
  starting: 'info',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span class={`badge tone-${TONE[value] ?? 'info'}`}>{label ?? words(value)}</span>;
}

/**
 * A confirmation dialog (the native modal <dialog>: focus moves in and stays, Esc cancels, focus
 * returns to the button that opened it). `children` are the form's fields; the API's error
 * stays shown in it until the user changes something or cancels.
 */
export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      // Out of the top layer first: while the modal dialog is open the page behind it is inert,
      // and focusing the opener there would do nothing (focus would fall to the body).
      if (dialog?.open) dialog.close();
      if (opener.current instanceof HTMLElement) opener.current.focus();
    };
  }, []);
  const titleId = `dlg-${props.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!props.busy) props.onConfirm();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <ErrorMessage error={props.error} title="The API refused:" />
        <div class="dialog-actions">
          <button type="button" class="button" onClick={props.onCancel} disabled={props.busy}>
            Back
          </button>
          <button type="submit" class={`button ${props.danger ? 'danger' : 'primary'}`} disabled={props.busy}>
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A label + control pair. */
export function Field(props: { label: string; id: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

/** A definition list of label → value rows. */
export function Facts({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Sets the document title and moves focus to the page heading when the page changes. */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Borderline console`;
    ref.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
