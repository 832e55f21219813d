import type {
  Declaration,
  DeclarationIssue,
  DeclarationLine,
  DeclarationRequest,
  PostalAddress,
} from '../../domain/customs/port';
import type { Money } from '../../domain/money/types';
import { invalidRequest } from '../shared/json-api';
import { WireReader } from '../shared/wire-reader';

/**
 * The broker's wire format (snake_case JSON, amounts as integer minor units):
 *
 *   POST /v1/declarations
 *   { "reference", "order_id", "exporter": { "name", "country" },
 *     "importer": { "name", "address": { "line1", "line2"?, "city", "region"?, "postal_code"?, "country" } },
 *     "ship_from", "ship_to", "incoterm": "DDP" | "DAP", "currency",
 *     "lines": [{ "line_number", "sku", "description", "hs_code", "origin_country", "quantity",
 *                 "value": { "amount", "currency" }, "weight_grams" }],
 *     "duties_and_taxes_collected": { "amount", "currency" },
 *     "declared_value"?: { "amount", "currency" }, "declared_weight_grams"?: n }
 *
 * Structural problems (a missing field, a wrong type, an unknown currency or country in the
 * header) are a 400 `invalid_request` listing every problem in `issues`; content problems (HS
 * codes, values, descriptions) are customs' business and come back as a `rejected` or
 * `correction_requested` declaration.
 */
export interface WireIssue {
  code: string;
  message: string;
  line_number?: number;
  field?: string;
}

export interface WireDeclaration {
  id: string;
  object: 'declaration';
  reference: string;
  order_id: string;
  status: Declaration['status'];
  issues: WireIssue[];
  movement_reference: string | null;
  submitted_at: string;
  updated_at: string;
  cleared_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
}

class Reader extends WireReader {
  integer(value: unknown, field: string): number {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    this.problems.push({ field, message: 'must be an integer' });
    return 0;
  }

  money(value: unknown, field: string): Money {
    const object = this.object(value, field);
    return {
      amount: this.integer(object.amount, `${field}.amount`),
      currency: this.currency(object.currency, `${field}.currency`),
    };
  }
}

function address(reader: Reader, value: unknown, field: string): PostalAddress {
  const object = reader.object(value, field);
  const line2 = reader.optionalString(object.line2, `${field}.line2`);
  const region = reader.optionalString(object.region, `${field}.region`);
  const postalCode = reader.optionalString(object.postal_code, `${field}.postal_code`, 32);
  return {
    line1: reader.string(object.line1, `${field}.line1`),
    ...(line2 !== undefined ? { line2 } : {}),
    city: reader.string(object.city, `${field}.city`),
    ...(region !== undefined ? { region } : {}),
    ...(postalCode !== undefined ? { postalCode } : {}),
    country: reader.country(object.country, `${field}.country`),
  };
}

/** The submit body → the port's request; a 400 naming every structural problem. */
export function parseDeclarationRequest(body: unknown): DeclarationRequest {
  const reader = new Reader();
  const root = reader.object(body, 'body');
  const exporter = reader.object(root.exporter, 'exporter');
  const importer = reader.object(root.importer, 'importer');
  const incoterm = root.incoterm;
  if (incoterm !== 'DDP' && incoterm !== 'DAP')
    reader.problems.push({ field: 'incoterm', message: 'must be DDP or DAP' });
  const rawLines = Array.isArray(root.lines) ? (root.lines as unknown[]) : [];
  if (!Array.isArray(root.lines)) reader.problems.push({ field: 'lines', message: 'must be an array' });
  if (rawLines.length > 999) reader.problems.push({ field: 'lines', message: 'at most 999 lines' });
  const lines: DeclarationLine[] = rawLines.map((raw, index) => {
    const field = `lines.${index}`;
    const line = reader.object(raw, field);
    return {
      lineNumber: reader.integer(line.line_number, `${field}.line_number`),
      sku: reader.string(line.sku, `${field}.sku`, 100),
      description: reader.string(line.description, `${field}.description`),
      hsCode: reader.string(line.hs_code, `${field}.hs_code`, 20),
      originCountry: reader.string(line.origin_country, `${field}.origin_country`, 10),
      quantity: reader.integer(line.quantity, `${field}.quantity`),
      value: reader.money(line.value, `${field}.value`),
      weightGrams: reader.integer(line.weight_grams, `${field}.weight_grams`),
    };
  });
  const request: DeclarationRequest = {
    reference: reader.string(root.reference, 'reference', 255),
    orderId: reader.string(root.order_id, 'order_id', 64),
    exporter: {
      name: reader.string(exporter.name, 'exporter.name'),
      country: reader.country(exporter.country, 'exporter.country'),
    },
    importer: {
      name: reader.string(importer.name, 'importer.name'),
      address: address(reader, importer.address, 'importer.address'),
    },
    shipFrom: reader.country(root.ship_from, 'ship_from'),
    shipTo: reader.country(root.ship_to, 'ship_to'),
    incoterm: incoterm === 'DAP' ? 'DAP' : 'DDP',
    currency: reader.currency(root.currency, 'currency'),
    lines,
    dutiesAndTaxesCollected: reader.money(root.duties_and_taxes_collected, 'duties_and_taxes_collected'),
    ...(root.declared_value !== undefined
      ? { declaredValue: reader.money(root.declared_value, 'declared_value') }
      : {}),
    ...(root.declared_weight_grams !== undefined
      ? { declaredWeightGrams: reader.integer(root.declared_weight_grams, 'declared_weight_grams') }
      : {}),
  };
  if (reader.problems.length > 0) {
    const [first] = reader.problems;
    throw invalidRequest(
      `Invalid declaration: ${reader.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      first?.field,
      reader.problems.map((p) => ({ code: 'invalid_field', field: p.field, message: p.message })),
    );
  }
  return request;
}

export function issueToWire(issue: DeclarationIssue): WireIssue {
  return {
    code: issue.code,
    message: issue.message,
    ...(issue.lineNumber !== undefined ? { line_number: issue.lineNumber } : {}),
    ...(issue.field !== undefined ? { field: issue.field } : {}),
  };
}

export function declarationToWire(declaration: Declaration): WireDeclaration {
  return {
    id: declaration.declarationId,
    object: 'declaration',
    reference: declaration.reference,
    order_id: declaration.orderId,
    status: declaration.status,
    issues: declaration.issues.map(issueToWire),
    movement_reference: declaration.movementReference ?? null,
    submitted_at: declaration.submittedAt,
    updated_at: declaration.updatedAt,
    cleared_at: declaration.clearedAt ?? null,
    voided_at: declaration.voidedAt ?? null,
    void_reason: declaration.voidReason ?? null,
  };
}
