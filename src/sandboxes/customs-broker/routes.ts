import { requestFingerprint } from '../stripe/idempotency';
import {
  invalidRequest,
  notFound,
  stateError,
  type JsonRequest,
  type JsonResult,
  type JsonRoute,
} from '../shared/json-api';
import type { CustomsBrokerState, OutcomeControls } from './state';
import { declarationToWire, parseDeclarationRequest } from './wire';

const ID = '([A-Za-z0-9_]+)';

/**
 * The broker's API:
 * - `POST /v1/declarations` → 201 with a new declaration (`pending`), or 200 with the one already
 *   filed under the same `reference` and the same body; 409 `reference_conflict` when the
 *   reference was used with another body;
 * - `GET /v1/declarations/:id`;
 * - `POST /v1/declarations/:id/void` `{ "reason" }` → the voided declaration (again 200 when it
 *   was already voided); 409 `declaration_cleared` once the goods have cleared.
 */
export function customsRoutes(state: CustomsBrokerState, outcomes: OutcomeControls): JsonRoute[] {
  const submit = (request: JsonRequest): JsonResult => {
    const declaration = parseDeclarationRequest(request.body);
    const fingerprint = requestFingerprint('POST', '/v1/declarations', request.body);
    const existing = state.findByReference(declaration.reference);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw stateError(
          409,
          'reference_conflict',
          `Reference '${declaration.reference}' was already used for declaration ${existing.id} with other content. ` +
            'A corrected declaration needs a new reference.',
          { declaration_id: existing.id },
        );
      }
      return { status: 200, body: declarationToWire(state.view(existing, request.nowMs)) };
    }
    const record = state.create(
      declaration,
      fingerprint,
      request.nowMs,
      outcomes.take(declaration.reference),
    );
    return { status: 201, body: declarationToWire(state.view(record, request.nowMs)) };
  };

  const find = (id: string) => {
    const record = state.declarations.get(id);
    if (!record) throw notFound('declaration', id);
    return record;
  };

  const retrieve = (request: JsonRequest): JsonResult => {
    const record = find(request.pathParams[0] ?? '');
    return { status: 200, body: declarationToWire(state.view(record, request.nowMs)) };
  };

  const voidDeclaration = (request: JsonRequest): JsonResult => {
    const body = (request.body ?? {}) as { reason?: unknown };
    if (
      typeof body !== 'object' ||
      typeof body.reason !== 'string' ||
      body.reason.trim() === '' ||
      body.reason.length > 500
    ) {
      throw invalidRequest('reason must be a non-empty string of at most 500 characters', 'reason');
    }
    const record = find(request.pathParams[0] ?? '');
    if (record.voidedAtMs === null) {
      if (record.clearedAtMs !== null) {
        throw stateError(
          409,
          'declaration_cleared',
          `Declaration ${record.id} cannot be voided: the goods cleared customs at ${new Date(record.clearedAtMs).toISOString()}. ` +
            'After clearance only the customs authority can cancel it, on request.',
          { declaration_id: record.id },
        );
      }
      record.voidedAtMs = request.nowMs;
      record.voidReason = body.reason;
    }
    return { status: 200, body: declarationToWire(state.view(record, request.nowMs)) };
  };

  return [
    { method: 'POST', pattern: /^\/v1\/declarations$/, handler: submit },
    { method: 'GET', pattern: new RegExp(`^/v1/declarations/${ID}$`), handler: retrieve },
    { method: 'POST', pattern: new RegExp(`^/v1/declarations/${ID}/void$`), handler: voidDeclaration },
  ];
}
