import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FaultPlan, type FaultSpec } from '../stripe/faults';
import { IdempotencyStore, requestFingerprint } from '../stripe/idempotency';
import { isManualClock, type SandboxClock } from './clock';
import { delay, readBody, sendJson } from './http';

/**
 * The request pipeline of a sandbox that speaks JSON (the customs broker and the carrier): API
 * key, fault injection, `Idempotency-Key` replay, then the endpoint; `/_sandbox/*` goes to the
 * sandbox's admin handler. Faults and idempotency behave as in the Stripe sandbox (the same
 * FaultPlan and IdempotencyStore): a saved answer is replayed for the same key and body
 * (`Idempotent-Replayed: true`), the same key with another body is refused with a 409
 * `idempotency_key_reused`, and a key whose first request is still running gets a 409
 * `idempotency_key_in_use` (retry later).
 *
 * Errors are `{ "error": { "type", "code", "message", "param"?, "issues"? } }`.
 */
export interface ApiErrorBody {
  type: 'invalid_request_error' | 'authentication_error' | 'state_error' | 'rate_limit_error' | 'api_error';
  code: string;
  message: string;
  param?: string;
  issues?: unknown[];
  [extra: string]: unknown;
}

export class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    /** True when the refusal belongs to the endpoint's execution (then saved under the key). */
    readonly persist = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export function invalidRequest(message: string, param?: string, issues?: unknown[]): SandboxApiError {
  return new SandboxApiError(400, {
    type: 'invalid_request_error',
    code: 'invalid_request',
    message,
    ...(param ? { param } : {}),
    ...(issues ? { issues } : {}),
  });
}

export function notFound(what: string, id: string): SandboxApiError {
  return new SandboxApiError(404, {
    type: 'invalid_request_error',
    code: 'not_found',
    message: `No such ${what}: '${id}'`,
  });
}

/** Refused in the object's current state (saved under the idempotency key). */
export function stateError(
  status: 409 | 422,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return new SandboxApiError(status, { type: 'state_error', code, message, ...extra }, true);
}

export interface RequestLogEntry {
  requestId: string;
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** HTTP status sent, or `'dropped'` when the connection was closed without an answer. */
  status: number | 'dropped';
  replayed: boolean;
  fault: string | null;
}

export interface JsonResult {
  status: number;
  body: unknown;
}

export interface JsonRequest {
  method: string;
  path: string;
  /** Parsed JSON body of a POST (undefined for GET or an empty body). */
  body: unknown;
  pathParams: string[];
  requestId: string;
  idempotencyKey: string | null;
  nowMs: number;
}

export interface JsonRoute {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: (request: JsonRequest) => JsonResult;
}

export interface JsonApiServerOptions {
  /** Shown in error messages ("the customs broker sandbox"). */
  name: string;
  clock: SandboxClock;
  routes: readonly JsonRoute[];
  acceptsKey: (key: string) => boolean;
  /** `/_sandbox/*` (authenticated with the same API key). */
  admin: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  /** Prefix for request ids. */
  requestIdPrefix?: string;
}

/**
 * The API key from `Authorization: Bearer <key>` or Basic auth with the key as user name (the
 * way EasyPost's clients send it).
 */
export function apiKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  if (header?.startsWith('Basic ')) {
    const user = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':')[0];
    return user || undefined;
  }
  return undefined;
}

export function authenticate(req: IncomingMessage, acceptsKey: (key: string) => boolean): string {
  const key = apiKeyOf(req);
  if (!key) {
    throw new SandboxApiError(401, {
      type: 'authentication_error',
      code: 'api_key_missing',
      message:
        'No API key: send it as "Authorization: Bearer <key>" (or Basic auth with the key as user name).',
    });
  }
  if (!acceptsKey(key)) {
    throw new SandboxApiError(401, {
      type: 'authentication_error',
      code: 'api_key_invalid',
      message: `Invalid API key provided: ${key.slice(0, 6)}${'*'.repeat(8)}`,
    });
  }
  return key;
}

function serverError(status: 500 | 503): SandboxApiError {
  return new SandboxApiError(
    status,
    {
      type: 'api_error',
      code: status === 503 ? 'service_unavailable' : 'internal_error',
      message: 'Something went wrong on our side; nothing was done. Retry with the same Idempotency-Key.',
    },
    false,
    status === 503 ? { 'Retry-After': '1' } : {},
  );
}

function rateLimited(): SandboxApiError {
  return new SandboxApiError(
    429,
    { type: 'rate_limit_error', code: 'rate_limited', message: 'Too many requests; slow down and retry.' },
    false,
    { 'Retry-After': '1' },
  );
}

export function newRequestId(prefix = 'req'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export class JsonApiServer {
  readonly faults = new FaultPlan();
  readonly requests: RequestLogEntry[] = [];
  readonly server: Server;
  readonly idempotency: IdempotencyStore;

  constructor(private readonly options: JsonApiServerOptions) {
    this.idempotency = new IdempotencyStore(options.clock);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        sendJson(res, 500, {
          error: {
            type: 'api_error',
            code: 'sandbox_failure',
            message: `${options.name} failed: ${message}`,
          },
        });
      });
    });
  }

  reset(): void {
    this.faults.clear();
    this.faults.triggered.length = 0;
    this.idempotency.clear();
    this.requests.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/_sandbox/')) {
      try {
        authenticate(req, this.options.acceptsKey);
      } catch (error) {
        if (error instanceof SandboxApiError) return sendJson(res, error.status, { error: error.body });
        throw error;
      }
      return this.options.admin(req, res, url);
    }
    return this.handleApi(req, res, url);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = newRequestId(this.options.requestIdPrefix);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const keyHeader = req.headers['idempotency-key'];
    const idempotencyKey =
      method === 'POST' && typeof keyHeader === 'string' && keyHeader !== '' ? keyHeader : null;
    const headers: Record<string, string> = { 'X-Request-Id': requestId };
    const log: RequestLogEntry = {
      requestId,
      method,
      path,
      idempotencyKey,
      status: 0,
      replayed: false,
      fault: null,
    };
    this.requests.push(log);
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      log.status = status;
      sendJson(res, status, body, { ...headers, ...extra });
    };
    const fail = (error: SandboxApiError) => answer(error.status, { error: error.body }, error.headers);
    const drop = () => {
      log.status = 'dropped';
      req.socket.destroy();
    };

    let apiKey: string;
    let body: unknown;
    try {
      apiKey = authenticate(req, this.options.acceptsKey);
      const text = method === 'POST' ? await readBody(req) : '';
      try {
        body = text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        throw invalidRequest('The body is not valid JSON.', 'body');
      }
    } catch (error) {
      if (error instanceof SandboxApiError) return fail(error);
      throw error;
    }

    let found: { route: JsonRoute; pathParams: string[] } | undefined;
    for (const route of this.options.routes) {
      const match = route.pattern.exec(path);
      if (match && route.method === method)
        found = { route, pathParams: match.slice(1).map((part) => part ?? '') };
      if (found) break;
    }
    if (!found) {
      const known = this.options.routes.some((route) => route.pattern.test(path));
      return answer(known ? 405 : 404, {
        error: {
          type: 'invalid_request_error',
          code: known ? 'method_not_allowed' : 'not_found',
          message: `Unrecognized request URL (${method}: ${path}).`,
        },
      });
    }

    const fault = this.faults.take(method, path, requestId);
    if (fault) log.fault = fault.kind;
    if (fault?.kind === '500' || fault?.kind === '503')
      return fail(serverError(Number(fault.kind) as 500 | 503));
    if (fault?.kind === '429') return fail(rateLimited());
    if (fault?.kind === 'drop-before-commit') return drop();

    if (idempotencyKey !== null) {
      if (idempotencyKey.length > 255) {
        return fail(
          invalidRequest('Idempotency-Key must be at most 255 characters long.', 'Idempotency-Key'),
        );
      }
      const check = this.idempotency.begin(
        apiKey,
        idempotencyKey,
        requestFingerprint(method, path, body ?? null),
      );
      if (check.kind === 'mismatch') {
        return answer(409, {
          error: {
            type: 'invalid_request_error',
            code: 'idempotency_key_reused',
            message: `Idempotency-Key '${idempotencyKey}' was first used with another request; use another key for another request.`,
          },
        });
      }
      if (check.kind === 'in_progress') {
        return answer(409, {
          error: {
            type: 'invalid_request_error',
            code: 'idempotency_key_in_use',
            message: `A request with Idempotency-Key '${idempotencyKey}' is still being processed; retry later.`,
          },
        });
      }
      if (check.kind === 'replay') {
        if (fault?.kind === 'slow') await delay(fault.delayMs);
        log.replayed = true;
        log.status = check.response.status;
        if (fault?.kind === 'drop-after-commit') return drop();
        if (res.destroyed) return;
        res.writeHead(check.response.status, {
          'Content-Type': 'application/json',
          ...headers,
          'Idempotent-Replayed': 'true',
          'Original-Request': check.response.requestId,
        });
        res.end(check.response.body);
        return;
      }
    }

    // Slow: the key (if any) is already marked in progress, so a concurrent retry gets a 409.
    if (fault?.kind === 'slow') await delay(fault.delayMs);

    let result: JsonResult;
    let persist = true;
    let extra: Record<string, string> = {};
    try {
      result = found.route.handler({
        method,
        path,
        body,
        pathParams: found.pathParams,
        requestId,
        idempotencyKey,
        nowMs: this.options.clock.now(),
      });
    } catch (error) {
      if (error instanceof SandboxApiError) {
        result = { status: error.status, body: { error: error.body } };
        persist = error.persist;
        extra = error.headers;
      } else {
        const message = error instanceof Error ? error.message : String(error);
        result = { status: 500, body: { error: { type: 'api_error', code: 'sandbox_failure', message } } };
      }
    }
    if (idempotencyKey !== null) {
      if (persist) {
        this.idempotency.complete(apiKey, idempotencyKey, {
          status: result.status,
          body: JSON.stringify(result.body, null, 2),
          requestId,
        });
      } else {
        this.idempotency.abandon(apiKey, idempotencyKey);
      }
    }
    if (fault?.kind === 'drop-after-commit') return drop();
    answer(result.status, result.body, extra);
  }
}

/** Reads an admin request's JSON body (`{}` when empty); throws a 400 on bad JSON. */
export async function readAdminJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (req.method ?? 'GET').toUpperCase() === 'POST' ? await readBody(req) : '';
  if (text.trim() === '') return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function adminError(res: ServerResponse, status: number, error: unknown): void {
  sendJson(res, status, { error: { message: error instanceof Error ? error.message : String(error) } });
}

/** What every partner sandbox's admin routes act on. */
export interface SandboxAdminTarget {
  api: JsonApiServer;
  clock: SandboxClock;
  reset(): void;
}

/**
 * The `/_sandbox/*` routes every partner sandbox has: `GET /health`, `GET|POST|DELETE /faults`,
 * `GET /requests`, `POST /clock/advance` `{ ms }` (ManualClock only) and `POST /reset`. Answers
 * and returns true when `route` (`"<METHOD> <path>"`) is one of them; false for the sandbox's own.
 */
export function handleSharedAdmin(
  target: SandboxAdminTarget,
  route: string,
  body: Record<string, unknown>,
  res: ServerResponse,
): boolean {
  switch (route) {
    case 'GET /health':
      sendJson(res, 200, { ok: true });
      return true;
    case 'GET /faults':
      sendJson(res, 200, { pending: target.api.faults.pending(), triggered: target.api.faults.triggered });
      return true;
    case 'POST /faults':
      try {
        sendJson(res, 201, target.api.faults.inject(body as unknown as FaultSpec));
      } catch (error) {
        adminError(res, 400, error);
      }
      return true;
    case 'DELETE /faults':
      target.api.faults.clear();
      sendJson(res, 200, { pending: [] });
      return true;
    case 'GET /requests':
      sendJson(res, 200, { requests: target.api.requests });
      return true;
    case 'POST /clock/advance':
      if (!isManualClock(target.clock)) {
        adminError(res, 409, 'the sandbox runs on the system clock; start it with a ManualClock');
      } else {
        sendJson(res, 200, { now: new Date(target.clock.advance(Number(body.ms ?? 0))).toISOString() });
      }
      return true;
    case 'POST /reset':
      target.reset();
      sendJson(res, 200, { ok: true });
      return true;
    default:
      return false;
  }
}
