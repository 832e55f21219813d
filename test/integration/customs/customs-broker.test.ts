import { declarationReference } from '../../../src/domain/customs';
import { ManualClock, type CustomsBrokerSandbox } from '../../../src/sandboxes/customs-broker';
import { declarationRequestToWire, type HttpCustomsBroker } from '../../../src/infra/customs';
import { failure } from '../../helpers/carrier-sandbox';
import {
  brokerFor,
  customsAdmin,
  line,
  sampleDeclaration,
  startTestCustomsBroker,
  uniqueOrderId,
  waitForDecision,
} from '../../helpers/customs-sandbox';

jest.setTimeout(30_000);

describe('customs broker sandbox through the HTTP adapter', () => {
  let sandbox: CustomsBrokerSandbox;
  let broker: HttpCustomsBroker;

  beforeAll(async () => {
    ({ sandbox, broker } = await startTestCustomsBroker());
  });
  afterEach(() => {
    sandbox.faults.clear();
    sandbox.outcomes.clear();
  });
  afterAll(() => sandbox.close());

  it('files a declaration: pending, then accepted with an MRN-like movement reference', async () => {
    const request = sampleDeclaration();
    const submitted = await broker.submitDeclaration(request);
    expect(submitted).toMatchObject({ reference: request.reference, orderId: request.orderId, issues: [] });
    expect(submitted.declarationId).toMatch(/^dcl_[a-z0-9]{24}$/);
    const accepted = await waitForDecision(broker, submitted.declarationId);
    expect(accepted.status).toBe('accepted');
    expect(accepted.movementReference).toMatch(/^\d{2}US[0-9A-Z]{13}\d$/);
    expect(Date.parse(accepted.updatedAt)).toBeGreaterThanOrEqual(Date.parse(accepted.submittedAt));
    expect(sandbox.findByReference(request.reference)?.status).toBe('accepted');
  });

  it('stays pending for the processing delay (ManualClock), then answers', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
    const { sandbox: slow, broker: slowBroker } = await startTestCustomsBroker({
      clock,
      processingDelayMs: 1_000,
    });
    try {
      const submitted = await slowBroker.submitDeclaration(sampleDeclaration());
      expect(submitted.status).toBe('pending');
      clock.advance(999);
      expect((await slowBroker.getDeclaration(submitted.declarationId)).status).toBe('pending');
      clock.advance(1);
      const answered = await slowBroker.getDeclaration(submitted.declarationId);
      expect(answered).toMatchObject({
        status: 'accepted',
        submittedAt: '2026-11-25T12:00:00.000Z',
        updatedAt: '2026-11-25T12:00:01.000Z',
      });
      expect(answered.movementReference).toMatch(/^26US/);
    } finally {
      await slow.close();
    }
  });

  it('rejects a bad HS code, with the issue on the line', async () => {
    const request = sampleDeclaration({
      lines: [line({ hsCode: '6109.10.00' }), line({ lineNumber: 2, hsCode: '9999990000' })],
      declaredValue: undefined,
      declaredWeightGrams: undefined,
    });
    const declaration = await waitForDecision(
      broker,
      (await broker.submitDeclaration(request)).declarationId,
    );
    expect(declaration.status).toBe('rejected');
    expect(declaration.movementReference).toBeUndefined();
    expect(declaration.issues).toEqual([
      expect.objectContaining({ code: 'HS_CODE_FORMAT', lineNumber: 1, field: 'lines.0.hsCode' }),
      expect.objectContaining({ code: 'HS_CODE_UNKNOWN', lineNumber: 2, field: 'lines.1.hsCode' }),
    ]);
  });

  it('rejects bad values: zero, implausibly low per unit, totals that disagree', async () => {
    const request = sampleDeclaration({
      lines: [
        line({ value: { amount: 0, currency: 'EUR' } }),
        line({ lineNumber: 2, quantity: 10, value: { amount: 500, currency: 'EUR' } }),
      ],
      declaredValue: { amount: 9_999, currency: 'EUR' },
      declaredWeightGrams: undefined,
    });
    const declaration = await waitForDecision(
      broker,
      (await broker.submitDeclaration(request)).declarationId,
    );
    expect(declaration.status).toBe('rejected');
    expect(declaration.issues.map((issue) => [issue.code, issue.lineNumber])).toEqual([
      ['VALUE_NOT_POSITIVE', 1],
      ['UNIT_VALUE_IMPLAUSIBLE', 2],
      ['TOTAL_VALUE_MISMATCH', undefined],
    ]);
  });

  it('requests a correction for a vague description', async () => {
    const request = sampleDeclaration({
      lines: [line({ description: 'Sample goods' })],
      declaredValue: undefined,
      declaredWeightGrams: undefined,
    });
    const declaration = await waitForDecision(
      broker,
      (await broker.submitDeclaration(request)).declarationId,
    );
    expect(declaration.status).toBe('correction_requested');
    expect(declaration.issues).toEqual([
      expect.objectContaining({ code: 'DESCRIPTION_VAGUE', lineNumber: 1, field: 'lines.0.description' }),
    ]);
  });

  it('files one declaration per reference: a resubmission returns the same one', async () => {
    const request = sampleDeclaration();
    const first = await broker.submitDeclaration(request);
    const again = await broker.submitDeclaration(request);
    // Another adapter (another worker) sending the same business operation.
    const fromElsewhere = await brokerFor(sandbox).submitDeclaration({ ...request });
    expect(again.declarationId).toBe(first.declarationId);
    expect(fromElsewhere.declarationId).toBe(first.declarationId);
    expect(sandbox.declarations().filter((d) => d.reference === request.reference)).toHaveLength(1);
    const replays = sandbox.requests.filter((r) => r.idempotencyKey === request.reference);
    expect(replays.map((r) => r.replayed)).toEqual([false, true, true]);
  });

  it('refuses the same reference with other content (409 → IDEMPOTENCY_KEY_REUSED), keeping the first', async () => {
    const request = sampleDeclaration();
    const first = await broker.submitDeclaration(request);
    const error = await failure(
      broker.submitDeclaration({
        ...request,
        incoterm: 'DAP',
        dutiesAndTaxesCollected: { amount: 0, currency: 'EUR' },
      }),
    );
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
    expect(error.details).toMatchObject({ statusCode: 409, providerCode: 'idempotency_key_reused' });
    // Without the header (another client), the broker's own reference check refuses it too.
    const raw = await fetch(`${sandbox.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...declarationRequestToWire(request), incoterm: 'DAP' }),
    });
    expect(raw.status).toBe(409);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('reference_conflict');
    expect(
      sandbox
        .declarations()
        .filter((d) => d.reference === request.reference)
        .map((d) => d.declarationId),
    ).toEqual([first.declarationId]);
  });

  it('files a corrected declaration under the next version', async () => {
    const orderId = uniqueOrderId();
    const vague = sampleDeclaration(
      { lines: [line({ description: 'Gift' })], declaredValue: undefined, declaredWeightGrams: undefined },
      orderId,
    );
    const v1 = await waitForDecision(broker, (await broker.submitDeclaration(vague)).declarationId);
    expect(v1.status).toBe('correction_requested');
    const corrected = { ...sampleDeclaration({}, orderId), reference: declarationReference(orderId, 2) };
    const v2 = await waitForDecision(broker, (await broker.submitDeclaration(corrected)).declarationId);
    expect(v2.status).toBe('accepted');
    expect(v2.declarationId).not.toBe(v1.declarationId);
  });

  it('voids a declaration; voiding again returns it unchanged', async () => {
    const submitted = await broker.submitDeclaration(sampleDeclaration());
    const voided = await broker.voidDeclaration(submitted.declarationId, 'order cancelled');
    expect(voided).toMatchObject({ status: 'voided', voidReason: 'order cancelled' });
    const again = await broker.voidDeclaration(submitted.declarationId, 'order cancelled');
    expect(again).toEqual(voided);
    const otherReason = await broker.voidDeclaration(submitted.declarationId, 'compensation retried');
    expect(otherReason).toMatchObject({
      status: 'voided',
      voidReason: 'order cancelled',
      voidedAt: voided.voidedAt,
    });
    expect((await broker.getDeclaration(submitted.declarationId)).status).toBe('voided');
  });

  it('refuses to void once the goods have cleared (BUSINESS_RULE_VIOLATION)', async () => {
    const accepted = await waitForDecision(
      broker,
      (await broker.submitDeclaration(sampleDeclaration())).declarationId,
    );
    const cleared = sandbox.markCleared(accepted.declarationId);
    expect(cleared.clearedAt).toBeDefined();
    const error = await failure(broker.voidDeclaration(accepted.declarationId, 'too late'));
    expect(error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATION', retryable: false });
    expect(error.details).toMatchObject({ statusCode: 409, providerCode: 'declaration_cleared' });
    expect((await broker.getDeclaration(accepted.declarationId)).status).toBe('accepted');
  });

  it('obeys forced outcomes: for the next declaration, and for a reference', async () => {
    sandbox.outcomes.forceNext({
      status: 'rejected',
      issues: [{ code: 'CUSTOMS_HOLD', message: 'inspection' }],
    });
    const forcedNext = await waitForDecision(
      broker,
      (await broker.submitDeclaration(sampleDeclaration())).declarationId,
    );
    expect(forcedNext).toMatchObject({
      status: 'rejected',
      issues: [{ code: 'CUSTOMS_HOLD', message: 'inspection' }],
    });

    const request = sampleDeclaration({
      lines: [line({ description: 'Gift' })],
      declaredValue: undefined,
      declaredWeightGrams: undefined,
    });
    sandbox.outcomes.forceReference(request.reference, { status: 'accepted' });
    expect(
      (await waitForDecision(broker, (await broker.submitDeclaration(request)).declarationId)).status,
    ).toBe('accepted');

    const unaffected = await waitForDecision(
      broker,
      (await broker.submitDeclaration(sampleDeclaration())).declarationId,
    );
    expect(unaffected.status).toBe('accepted');
  });

  it('keeps a forced-pending declaration pending until decided', async () => {
    sandbox.outcomes.forceNext({ status: 'pending' });
    const submitted = await broker.submitDeclaration(sampleDeclaration());
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await broker.getDeclaration(submitted.declarationId)).status).toBe('pending');
    sandbox.decide(submitted.declarationId, { status: 'correction_requested' });
    expect(await broker.getDeclaration(submitted.declarationId)).toMatchObject({
      status: 'correction_requested',
      issues: [{ code: 'FORCED_CORRECTION' }],
    });
  });

  it('offers the same controls over HTTP (/_sandbox)', async () => {
    const request = sampleDeclaration();
    expect(
      (
        await customsAdmin(sandbox, 'POST', '/outcomes', {
          reference: request.reference,
          status: 'accepted',
          delayMs: 0,
        })
      ).status,
    ).toBe(201);
    const accepted = await broker.submitDeclaration(request);
    expect(accepted.status).toBe('accepted');
    const cleared = await customsAdmin(sandbox, 'POST', `/declarations/${accepted.declarationId}/clear`);
    expect(cleared.status).toBe(200);
    expect(cleared.body.cleared_at).toEqual(expect.any(String));
    expect((await failure(broker.voidDeclaration(accepted.declarationId, 'x'))).code).toBe(
      'BUSINESS_RULE_VIOLATION',
    );

    expect(
      (await customsAdmin(sandbox, 'POST', '/faults', { kind: '503', path: '/v1/declarations' })).status,
    ).toBe(201);
    expect((await failure(broker.getDeclaration(accepted.declarationId))).code).toBe(
      'DEPENDENCY_UNAVAILABLE',
    );
    const listed = await customsAdmin(sandbox, 'GET', '/declarations');
    expect((listed.body.declarations as unknown[]).length).toBeGreaterThan(0);
    expect((await customsAdmin(sandbox, 'POST', '/declarations/dcl_nope/clear')).status).toBe(404);
    expect((await customsAdmin(sandbox, 'POST', '/outcomes', { status: 'maybe' })).status).toBe(400);
    const anonymous = await fetch(`${sandbox.url}/_sandbox/declarations`);
    expect(anonymous.status).toBe(401);
  });

  it('answers malformed requests with a 400 listing every problem (VALIDATION_FAILED, not retryable)', async () => {
    const request = sampleDeclaration({ currency: 'EURO', shipTo: 'USA' });
    const error = await failure(broker.submitDeclaration(request));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    expect(error.details?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'ship_to' }),
        expect.objectContaining({ field: 'currency' }),
      ]),
    );
    expect(sandbox.findByReference(request.reference)).toBeUndefined();
  });

  it('maps an unknown declaration to NOT_FOUND and a wrong key to INTERNAL (our configuration)', async () => {
    expect((await failure(broker.getDeclaration('dcl_doesnotexist'))).code).toBe('NOT_FOUND');
    const wrongKey = brokerFor(sandbox, { apiKey: 'cb_test_wrong_key' });
    const error = await failure(wrongKey.getDeclaration('dcl_doesnotexist'));
    expect(error).toMatchObject({ code: 'INTERNAL', details: { statusCode: 401 } });
    expect(error.message).not.toContain('cb_test_wrong_key');
  });
});
