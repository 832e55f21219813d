/**
 * The console's only way to the API: same origin, the signed-in key as `Authorization: Bearer`
 * (kept in sessionStorage: gone when the tab closes, never in a URL), errors as the API gives them.
 */

const KEY = 'borderline.console.key';

export type Role = 'checkout' | 'support' | 'finance' | 'admin';

export interface Me {
  keyId: string;
  name: string;
  role: Role;
}

/** An error answer of the API, as it came: `{ error: { code, message, field?, requestId } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  set(key: string): void {
    sessionStorage.setItem(KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};

let onUnauthenticated: () => void = () => undefined;
/** What to do when the key stops working (revoked, rotated): sign out. */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

async function call(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; key?: string } = {},
) {
  const key = init.key ?? session.key();
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', `The API could not be reached: ${(error as Error).message}`);
  }
  if (!res.ok) {
    const text = await res.text();
    let parsed: {
      error?: {
        code?: string;
        message?: string;
        field?: string;
        requestId?: string;
        details?: Record<string, unknown>;
      };
    } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // not JSON: shown as it is below
    }
    const e = parsed.error;
    const error = new ApiError(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? (text || res.statusText),
      e?.field,
      e?.requestId ?? res.headers.get('x-request-id') ?? undefined,
      e?.details,
    );
    if (res.status === 401 && !init.key) onUnauthenticated();
    throw error;
  }
  return res;
}

export async function get<T>(path: string, key?: string): Promise<T> {
  const res = await call('GET', path, key ? { key } : {});
  return (await res.json()) as T;
}

export async function post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await call('POST', path, { body, headers });
  return (await res.json()) as T;
}

/** A text answer (CSV). */
export async function getText(path: string): Promise<{ text: string; filename: string | null }> {
  const res = await call('GET', path, { headers: { accept: 'text/csv' } });
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { text: await res.text(), filename };
}

/** Saves text as a file: a Blob behind an object URL, clicked, then released. */
export function saveFile(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A fresh Idempotency-Key for one user action (kept while its dialog is open, so a retry repeats it). */
export function idempotencyKey(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `console-${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const query = (params: Record<string, string | number | boolean | undefined | null | string[]>) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(name, v);
    else search.set(name, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
};
