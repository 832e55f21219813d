import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SandboxClock } from '../shared/clock';
import { delay, readBody, sendJson } from '../shared/http';
import { handleAdmin } from './admin';
import { authenticate } from './auth';
import type { ApiResult, RequestContext, SandboxSettings } from './context';
import { apiError, invalidRequest, rateLimited, StripeApiError } from './errors';
import { FaultPlan } from './faults';
import { parseParams, type ParamObject } from './form';
import { IdempotencyStore, requestFingerprint } from './idempotency';
import { newId } from './ids';
import { expireAuthorizations } from './payment-intents';
import type { Json } from './render';
import { findRoute, knownPath } from './routes';
import { StripeState, type EventRecord } from './state';
import type { WebhookDispatcher } from './webhooks';

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

export interface StripeSandboxCore {
  readonly state: StripeState;
  readonly faults: FaultPlan;
  readonly webhooks: WebhookDispatcher;
  readonly requests: RequestLogEntry[];
  readonly clock: SandboxClock;
  expireAuthorizations(): string[];
  reset(): void;
}

/**
 * The HTTP face of the sandbox: authentication, Stripe's error shapes, fault injection,
 * idempotency, then the endpoint; plus `/_sandbox/*` admin endpoints for tests running in
 * another process.
 */
export class StripeSandboxServer implements StripeSandboxCore {
  readonly state = new StripeState();
  readonly faults = new FaultPlan();
  readonly requests: RequestLogEntry[] = [];
  readonly server: Server;
  private readonly idempotency: IdempotencyStore;

  constructor(
    readonly clock: SandboxClock,
    private readonly settings: SandboxSettings,
    readonly webhooks: WebhookDispatcher,
    private readonly acceptsKey: (key: string) => boolean,
  ) {
    this.idempotency = new IdempotencyStore(clock);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        sendJson(res, 500, { error: { type: 'api_error', message: `sandbox failure: ${message}` } });
      });
    });
  }

  expireAuthorizations(): string[] {
    return expireAuthorizations(this.state, this.clock.now(), (type, object, previous) =>
      this.webhooks.enqueue(
        this.recordEvent({ type, object, previous, requestId: null, idempotencyKey: null }),
      ),
    );
  }

  reset(): void {
    this.state.reset();
    this.faults.clear();
    this.idempotency.clear();
    this.requests.length = 0;
  }

  /** What a restart must find again: the objects and the answered idempotency keys. */
  snapshotParts(): { state: StripeState; idempotency: IdempotencyStore } {
    return { state: this.state, idempotency: this.idempotency };
  }

  private recordEvent(input: {
    type: string;
    object: Json;
    previous?: Json | undefined;
    requestId: string | null;
    idempotencyKey: string | null;
    apiVersion?: string;
  }): EventRecord {
    const event: EventRecord = {
      id: newId('evt'),
      created: Math.floor(this.clock.now() / 1000),
      type: input.type,
      apiVersion: input.apiVersion ?? this.settings.defaultApiVersion,
      object: input.object,
      ...(input.previous ? { previousAttributes: input.previous } : {}),
      request: { id: input.requestId, idempotency_key: input.idempotencyKey },
      pendingWebhooks: this.webhooks.endpointCount(),
    };
    this.state.events.push(event);
    return event;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/_sandbox/')) return handleAdmin(this, req, res, url, this.acceptsKey);
    return this.handleApi(req, res, url);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = newId('req');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const versionHeader = req.headers['stripe-version'];
    const apiVersion = typeof versionHeader === 'string' ? versionHeader : this.settings.defaultApiVersion;
    const keyHeader = req.headers['idempotency-key'];
    const idempotencyKey =
      method === 'POST' && typeof keyHeader === 'string' && keyHeader !== '' ? keyHeader : null;
    const headers: Record<string, string> = {
      'Request-Id': requestId,
      'Stripe-Version': apiVersion,
      ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
    };
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
    const fail = (error: StripeApiError) => answer(error.status, error.toResponse(), error.headers);
    const drop = () => {
      log.status = 'dropped';
      req.socket.destroy();
    };

    let apiKey: string;
    let params: ParamObject;
    try {
      apiKey = authenticate(req, this.acceptsKey);
      const body = method === 'POST' ? await readBody(req) : '';
      params = parseParams(method === 'POST' ? body : url.search.slice(1));
    } catch (error) {
      if (error instanceof StripeApiError) return fail(error);
      throw error;
    }

    const found = findRoute(method, path);
    if (!found) {
      const status = knownPath(path) ? 405 : 404;
      return answer(status, {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      });
    }

    const fault = this.faults.take(method, path, requestId);
    if (fault) log.fault = fault.kind;
    if (fault?.kind === '500' || fault?.kind === '503') return fail(apiError(Number(fault.kind)));
    if (fault?.kind === '429') return fail(rateLimited());
    if (fault?.kind === 'drop-before-commit') return drop();

    if (idempotencyKey !== null) {
      if (idempotencyKey.length > 255) {
        return fail(
          invalidRequest('Idempotency-Key header must be at most 255 characters long.', {
            param: 'Idempotency-Key',
          }),
        );
      }
      const check = this.idempotency.begin(apiKey, idempotencyKey, requestFingerprint(method, path, params));
      if (check.kind === 'mismatch') {
        return answer(400, {
          error: {
            type: 'idempotency_error',
            message:
              `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
              `Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          },
        });
      }
      if (check.kind === 'in_progress') {
        return answer(409, {
          error: {
            type: 'invalid_request_error',
            code: 'idempotency_key_in_use',
            message:
              `There is currently another in-progress request using this Idempotent Key (that probably means you ` +
              `submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`,
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

    // A slow answer: the key (if any) is already marked in progress, so a concurrent retry with
    // the same key gets a 409 instead of executing twice.
    if (fault?.kind === 'slow') await delay(fault.delayMs);

    this.expireAuthorizations();
    const pending: Array<{ type: string; object: Json; previous?: Json | undefined }> = [];
    const nowMs = this.clock.now();
    const context: RequestContext = {
      state: this.state,
      settings: this.settings,
      nowMs,
      nowSeconds: Math.floor(nowMs / 1000),
      requestId,
      idempotencyKey,
      apiVersion,
      emit: (type, object, previous) => pending.push({ type, object, previous }),
    };

    let result: ApiResult;
    let persist = true;
    let extraHeaders: Record<string, string> = {};
    try {
      result = found.route.handler(context, params, found.pathParams);
    } catch (error) {
      if (error instanceof StripeApiError) {
        result = { status: error.status, body: error.toResponse() as unknown as Json };
        persist = error.persist;
        extraHeaders = error.headers;
      } else {
        // A sandbox bug mid-execution: answer (and save) a 500, as Stripe saves its 500s.
        const message = error instanceof Error ? error.message : String(error);
        result = {
          status: 500,
          body: { error: { type: 'api_error', message: `sandbox failure: ${message}` } },
        };
      }
    }

    for (const item of pending) {
      const event = this.recordEvent({ ...item, requestId, idempotencyKey, apiVersion });
      this.webhooks.enqueue(event);
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
    headers['Original-Request'] = requestId;
    if (fault?.kind === 'drop-after-commit') return drop();
    answer(result.status, result.body, extraHeaders);
  }
}
