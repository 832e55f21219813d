import type { Declaration, DeclarationLine, DeclarationRequest } from '../../src/domain/customs';
import { declarationReference } from '../../src/domain/customs';
import { HttpCustomsBroker, type CustomsBrokerConfig } from '../../src/infra/customs';
import {
  startCustomsBrokerSandbox,
  type CustomsBrokerSandbox,
  type CustomsBrokerSandboxOptions,
} from '../../src/sandboxes/customs-broker';

/** A broker sandbox on a free port answering within 0–200 ms (fixed per reference), and an adapter. */
export async function startTestCustomsBroker(
  options: CustomsBrokerSandboxOptions = {},
): Promise<{ sandbox: CustomsBrokerSandbox; broker: HttpCustomsBroker }> {
  const sandbox = await startCustomsBrokerSandbox({
    processingDelayMs: { minMs: 0, maxMs: 200 },
    seed: 'borderline-tests',
    ...options,
  });
  return { sandbox, broker: brokerFor(sandbox) };
}

export function brokerFor(
  sandbox: CustomsBrokerSandbox,
  config: Partial<CustomsBrokerConfig> = {},
): HttpCustomsBroker {
  return new HttpCustomsBroker({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: 5_000, ...config });
}

let counter = 0;
export const uniqueOrderId = (prefix = 'ord') => `${prefix}-${Date.now().toString(36)}-${counter++}`;

export function line(overrides: Partial<DeclarationLine> = {}): DeclarationLine {
  return {
    lineNumber: 1,
    sku: 'TEE-COT-001',
    description: 'Organic cotton T-shirt, men',
    hsCode: '6109100012',
    originCountry: 'PT',
    quantity: 2,
    value: { amount: 5_000, currency: 'EUR' },
    weightGrams: 360,
    ...overrides,
  };
}

/** A declaration customs accepts (DDP, EU → US), unless overridden. */
export function sampleDeclaration(
  overrides: Partial<DeclarationRequest> = {},
  orderId = uniqueOrderId(),
): DeclarationRequest {
  return {
    reference: declarationReference(orderId, 1),
    orderId,
    exporter: { name: 'Atelier Lisboa Lda', country: 'PT' },
    importer: {
      name: 'Jane Doe',
      address: {
        line1: '1 Main Street',
        city: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'US',
      },
    },
    shipFrom: 'DE',
    shipTo: 'US',
    incoterm: 'DDP',
    currency: 'EUR',
    lines: [
      line(),
      line({
        lineNumber: 2,
        sku: 'BAG-LTH-001',
        description: 'Leather handbag',
        hsCode: '4202219000',
        quantity: 1,
        value: { amount: 12_000, currency: 'EUR' },
        weightGrams: 900,
      }),
    ],
    dutiesAndTaxesCollected: { amount: 2_310, currency: 'EUR' },
    declaredValue: { amount: 17_000, currency: 'EUR' },
    declaredWeightGrams: 1_260,
    ...overrides,
  };
}

/** Polls until customs has answered (the status is no longer pending). */
export async function waitForDecision(
  broker: HttpCustomsBroker,
  declarationId: string,
  timeoutMs = 5_000,
): Promise<Declaration> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const declaration = await broker.getDeclaration(declarationId);
    if (declaration.status !== 'pending') return declaration;
    if (Date.now() > deadline)
      throw new Error(`declaration ${declarationId} still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls the sandbox's admin API over HTTP, as a test in another process would. */
export async function customsAdmin(
  sandbox: CustomsBrokerSandbox,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: { Authorization: `Bearer ${sandbox.apiKey}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
