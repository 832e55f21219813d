import { AppError, type ErrorCode } from '../../errors';

/**
 * A small JSON-over-HTTP client on Node's fetch for the logistics providers (customs broker,
 * carrier), with one mapping of their failures to AppError:
 *
 * | answer                                   | AppError                 | retryable |
 * | ---------------------------------------- | ------------------------ | --------- |
 * | 400 (malformed request)                  | VALIDATION_FAILED        | no        |
 * | 401 / 403 (our credentials)              | INTERNAL                 | yes (*)   |
 * | 404                                      | NOT_FOUND                | no        |
 * | 409 idempotency_key_reused / reference_conflict | IDEMPOTENCY_KEY_REUSED | no     |
 * | 409 idempotency_key_in_use               | DEPENDENCY_UNAVAILABLE   | yes       |
 * | 409 other (state) / 422                  | BUSINESS_RULE_VIOLATION  | no        |
 * | 429                                      | RATE_LIMITED             | yes       |
 * | 5xx, connection lost, timeout, bad JSON  | DEPENDENCY_UNAVAILABLE   | yes       |
 *
 * (*) as for Stripe: a configuration mistake, retried until someone fixes the key.
 * The provider's issues (`error.issues`) go to `details.issues`; `details.outcomeUnknown` is true
 * when the request may have been executed (retry with the same Idempotency-Key). Messages never
 * contain the API key.
 */
export interface JsonApiConfig {
  /** `https://api.broker.example` or `http://127.0.0.1:12112` (a path prefix is kept). */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout. Default 10 s; keep it below the activity's start-to-close timeout. */
  timeoutMs?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface JsonApiRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Sent as `Idempotency-Key` (every mutating request has one, derived from the business operation). */
  idempotencyKey?: string;
  /** For messages and details (`submit_declaration`). */
  operation: string;
}

export interface ProviderErrorBody {
  type?: string;
  code?: string;
  message?: string;
  param?: string;
  issues?: unknown[];
}

export const IDEMPOTENCY_CONFLICT_CODES: ReadonlySet<string> = new Set([
  'idempotency_key_reused',
  'reference_conflict',
]);

function clean(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).filter(([, value]) => value !== undefined && value !== null),
  );
}

export class JsonApiClient {
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;

  constructor(
    /** `customs broker`, `carrier`: for messages and `details.provider`. */
    readonly provider: string,
    config: JsonApiConfig,
    /** How the key is sent: `Authorization: Bearer <key>` or Basic with the key as user name (EasyPost). */
    private readonly auth: 'bearer' | 'basic' = 'bearer',
  ) {
    if (!config.apiKey) {
      throw new AppError('VALIDATION_FAILED', `an API key for the ${provider} is required`, {
        field: 'apiKey',
      });
    }
    let parsed: URL;
    try {
      parsed = new URL(config.baseUrl);
    } catch {
      throw new AppError('VALIDATION_FAILED', `the ${provider} base URL is not a URL`, { field: 'baseUrl' });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new AppError('VALIDATION_FAILED', `the ${provider} base URL must be http or https`, {
        field: 'baseUrl',
      });
    }
    this.#apiKey = config.apiKey;
    this.#fetch = config.fetch ?? fetch;
    this.#baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = config.timeoutMs ?? 10_000;
  }

  async request<T>(request: JsonApiRequest): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization:
        this.auth === 'basic'
          ? `Basic ${Buffer.from(`${this.#apiKey}:`, 'utf8').toString('base64')}`
          : `Bearer ${this.#apiKey}`,
      'User-Agent': 'borderline/0.1',
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['Idempotency-Key'] = request.idempotencyKey;
    const base = { provider: this.provider, operation: request.operation };

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(`${this.#baseUrl}${request.path}`, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // Not `instanceof Error`: fetch's DOMException and errors of another realm (Jest's VM) fail it.
      const failed = (error ?? {}) as { name?: unknown; message?: unknown; cause?: unknown };
      const timedOut = failed.name === 'TimeoutError' || failed.name === 'AbortError';
      const cause =
        typeof failed.cause === 'object' && failed.cause !== null
          ? (failed.cause as { code?: string; message?: string })
          : undefined;
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        timedOut
          ? `the ${this.provider} did not answer the ${request.operation} within ${this.#timeoutMs} ms`
          : `the ${this.provider} could not be reached for the ${request.operation}: ${cause?.code ?? cause?.message ?? String(failed.message)}`,
        {
          details: clean({
            ...base,
            kind: timedOut ? 'timeout' : 'connection',
            outcomeUnknown: request.method === 'POST',
            errorCode: cause?.code,
          }),
        },
      );
    }

    const requestId = response.headers.get('x-request-id') ?? undefined;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok) {
      if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
        throw new AppError(
          'DEPENDENCY_UNAVAILABLE',
          `the ${this.provider} answered the ${request.operation} with a body that is not JSON`,
          {
            details: clean({
              ...base,
              kind: 'bad_response',
              statusCode: response.status,
              requestId,
              outcomeUnknown: true,
            }),
          },
        );
      }
      return { status: response.status, body: parsed as T };
    }
    const error = ((parsed as { error?: ProviderErrorBody } | undefined)?.error ?? {}) as ProviderErrorBody;
    throw this.toAppError(response, error, request, requestId);
  }

  private toAppError(
    response: Response,
    error: ProviderErrorBody,
    request: JsonApiRequest,
    requestId: string | undefined,
  ): AppError {
    const status = response.status;
    const message = (error.message ?? response.statusText ?? 'no message').slice(0, 1000);
    const details = clean({
      provider: this.provider,
      operation: request.operation,
      statusCode: status,
      providerCode: error.code,
      requestId,
      issues: Array.isArray(error.issues) ? error.issues : undefined,
    });
    const make = (code: ErrorCode, text: string, extra: Record<string, unknown> = {}, field?: string) =>
      new AppError(code, text, { details: { ...details, ...clean(extra) }, ...(field ? { field } : {}) });
    const what = `the ${this.provider}`;

    if (status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      return make('RATE_LIMITED', `${what} rate-limited the ${request.operation}: ${message}`, {
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      });
    }
    if (status >= 500) {
      return make(
        'DEPENDENCY_UNAVAILABLE',
        `${what} failed the ${request.operation} (${status}): ${message}`,
        {
          kind: 'server_error',
          outcomeUnknown: request.method === 'POST',
        },
      );
    }
    if (status === 401 || status === 403)
      return make('INTERNAL', `${what} refused our credentials: ${message}`);
    if (status === 404) return make('NOT_FOUND', `${what}: ${message}`);
    if (status === 409) {
      if (error.code !== undefined && IDEMPOTENCY_CONFLICT_CODES.has(error.code)) {
        return make(
          'IDEMPOTENCY_KEY_REUSED',
          `${what} refused a reused reference or idempotency key: ${message}`,
        );
      }
      if (error.code === 'idempotency_key_in_use') {
        return make('DEPENDENCY_UNAVAILABLE', `${what} is still processing the same request: ${message}`, {
          kind: 'in_progress',
          outcomeUnknown: true,
        });
      }
      return make('BUSINESS_RULE_VIOLATION', `${what} refused the ${request.operation}: ${message}`);
    }
    if (status === 422)
      return make('BUSINESS_RULE_VIOLATION', `${what} refused the ${request.operation}: ${message}`);
    return make(
      'VALIDATION_FAILED',
      `${what} refused the ${request.operation} as invalid: ${message}`,
      {},
      error.param,
    );
  }
}
