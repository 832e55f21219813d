import { AppError } from '../../errors';
import type {
  Declaration,
  DeclarationIssue,
  DeclarationRequest,
  DeclarationStatus,
} from '../../domain/customs/port';

/** The port's types ↔ the broker's JSON (snake_case, amounts in integer minor units). */

type Json = Record<string, unknown>;

export function declarationRequestToWire(request: DeclarationRequest): Json {
  const address = request.importer.address;
  return {
    reference: request.reference,
    order_id: request.orderId,
    exporter: { name: request.exporter.name, country: request.exporter.country },
    importer: {
      name: request.importer.name,
      address: {
        line1: address.line1,
        ...(address.line2 !== undefined ? { line2: address.line2 } : {}),
        city: address.city,
        ...(address.region !== undefined ? { region: address.region } : {}),
        ...(address.postalCode !== undefined ? { postal_code: address.postalCode } : {}),
        country: address.country,
      },
    },
    ship_from: request.shipFrom,
    ship_to: request.shipTo,
    incoterm: request.incoterm,
    currency: request.currency,
    lines: request.lines.map((line) => ({
      line_number: line.lineNumber,
      sku: line.sku,
      description: line.description,
      hs_code: line.hsCode,
      origin_country: line.originCountry,
      quantity: line.quantity,
      value: { amount: line.value.amount, currency: line.value.currency },
      weight_grams: line.weightGrams,
    })),
    duties_and_taxes_collected: {
      amount: request.dutiesAndTaxesCollected.amount,
      currency: request.dutiesAndTaxesCollected.currency,
    },
    ...(request.declaredValue !== undefined
      ? { declared_value: { amount: request.declaredValue.amount, currency: request.declaredValue.currency } }
      : {}),
    ...(request.declaredWeightGrams !== undefined
      ? { declared_weight_grams: request.declaredWeightGrams }
      : {}),
  };
}

const STATUSES: readonly DeclarationStatus[] = [
  'pending',
  'accepted',
  'rejected',
  'correction_requested',
  'voided',
];

function badResponse(what: string): AppError {
  return new AppError(
    'DEPENDENCY_UNAVAILABLE',
    `the customs broker answered with a malformed declaration (${what})`,
    {
      details: { provider: 'customs broker', kind: 'bad_response' },
    },
  );
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toIssue(value: unknown): DeclarationIssue {
  const issue = (value ?? {}) as Json;
  const lineNumber = issue.line_number;
  const field = optionalString(issue.field);
  return {
    code: typeof issue.code === 'string' ? issue.code : 'UNKNOWN',
    message: typeof issue.message === 'string' ? issue.message : '',
    ...(typeof lineNumber === 'number' ? { lineNumber } : {}),
    ...(field !== undefined ? { field } : {}),
  };
}

export function declarationFromWire(body: unknown): Declaration {
  const wire = (body ?? {}) as Json;
  if (typeof wire.id !== 'string' || wire.id === '') throw badResponse('no id');
  if (!STATUSES.includes(wire.status as DeclarationStatus))
    throw badResponse(`status ${String(wire.status)}`);
  if (typeof wire.reference !== 'string' || typeof wire.submitted_at !== 'string')
    throw badResponse('no reference');
  const movementReference = optionalString(wire.movement_reference);
  const clearedAt = optionalString(wire.cleared_at);
  const voidedAt = optionalString(wire.voided_at);
  const voidReason = optionalString(wire.void_reason);
  return {
    declarationId: wire.id,
    reference: wire.reference,
    orderId: typeof wire.order_id === 'string' ? wire.order_id : '',
    status: wire.status as DeclarationStatus,
    issues: Array.isArray(wire.issues) ? wire.issues.map(toIssue) : [],
    ...(movementReference !== undefined ? { movementReference } : {}),
    submittedAt: wire.submitted_at,
    updatedAt: typeof wire.updated_at === 'string' ? wire.updated_at : wire.submitted_at,
    ...(clearedAt !== undefined ? { clearedAt } : {}),
    ...(voidedAt !== undefined ? { voidedAt } : {}),
    ...(voidReason !== undefined ? { voidReason } : {}),
  };
}
