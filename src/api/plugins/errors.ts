import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CODES, type ErrorCode } from '../../errors';

type Location = 'body' | 'querystring' | 'params' | 'headers';

interface ErrorPayload {
  code: ErrorCode;
  message: string;
  field?: string;
  location?: Location;
  details?: Record<string, unknown>;
}

/**
 * One error handler for the whole API. 4xx answers carry a stable code, a message and the
 * offending field; 5xx answers say only that something failed and give the request id to quote
 * (the details go to the log, never to the caller).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const payload = toPayload(error);
    const status = ERROR_CODES[payload.code].status;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: payload.code, field: payload.field }, payload.message);
    }
    // The rate limiter and the load shedder set their own Retry-After; keep it.
    if (
      (payload.code === 'RATE_LIMITED' || payload.code === 'DEPENDENCY_UNAVAILABLE') &&
      !reply.hasHeader('retry-after')
    ) {
      const after = error instanceof AppError ? error.retryAfterSeconds : undefined;
      void reply.header('retry-after', String(after ?? 1));
    }
    return sendError(request, reply, status, payload);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, {
      code: 'NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, payload: ErrorPayload) {
  const body = { error: { ...payload, requestId: String(request.id) } };
  if (status >= 500)
    body.error = { code: payload.code, message: payload.message, requestId: String(request.id) };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

function toPayload(error: FastifyError): ErrorPayload {
  if (error instanceof AppError) {
    if (error.status >= 500)
      return { code: error.code, message: error.publicMessage ?? publicMessage(error.code) };
    return {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.details ? { details: error.details } : {}),
    };
  }
  if (error.validation && error.validation.length > 0) return validationPayload(error);

  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        code: 'UNSUPPORTED_CONTENT_TYPE',
        message: 'Content-Type must be application/json',
        field: 'content-type',
        location: 'headers',
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        code: 'MALFORMED_JSON',
        message: 'The body is empty but Content-Type is application/json',
        location: 'body',
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        code: 'MALFORMED_JSON',
        message: `The body is not valid JSON: ${error.message}`,
        location: 'body',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The body is larger than this API accepts',
        location: 'body',
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        code: 'VALIDATION_FAILED',
        message: 'Content-Length does not match the body',
        field: 'content-length',
      };
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return {
      code: 'MALFORMED_JSON',
      message: `The body is not valid JSON: ${error.message}`,
      location: 'body',
    };
  }
  const status = error.statusCode ?? 500;
  const code = codeForStatus(status);
  return { code, message: status >= 500 ? publicMessage(code) : error.message };
}

function validationPayload(error: FastifyError): ErrorPayload {
  const first = error.validation![0]!;
  const location = (error.validationContext ?? 'body') as Location;
  const path = first.instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'required' && typeof params.missingProperty === 'string')
    path.push(params.missingProperty);
  if (first.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    path.push(params.additionalProperty);
  }
  const field = path.join('.');
  const subject = field || location;
  let message: string;
  switch (first.keyword) {
    case 'required':
      message = `${subject} is required`;
      break;
    case 'additionalProperties':
      message = `${subject} is not an accepted field`;
      break;
    case 'enum':
      message = `${subject} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
      break;
    default:
      message = `${subject} ${first.message ?? 'is invalid'}`;
  }
  return { code: 'VALIDATION_FAILED', message, ...(field ? { field } : {}), location };
}

function codeForStatus(status: number): ErrorCode {
  const entry = Object.entries(ERROR_CODES).find(([, spec]) => spec.status === status);
  if (entry) return entry[0] as ErrorCode;
  return status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED';
}

function publicMessage(code: ErrorCode): string {
  return code === 'DEPENDENCY_UNAVAILABLE'
    ? 'A service Borderline depends on is unavailable; retry later'
    : 'Internal error; quote the request id when reporting it';
}
