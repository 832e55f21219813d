import type { HttpCustomsBroker } from '../../../src/infra/customs';
import type { CustomsBrokerSandbox } from '../../../src/sandboxes/customs-broker';
import { failure } from '../../helpers/carrier-sandbox';
import {
  brokerFor,
  sampleDeclaration,
  startTestCustomsBroker,
  waitForDecision,
} from '../../helpers/customs-sandbox';

jest.setTimeout(30_000);

describe('customs broker faults, mapped by the adapter', () => {
  let sandbox: CustomsBrokerSandbox;
  let broker: HttpCustomsBroker;

  beforeAll(async () => {
    ({ sandbox, broker } = await startTestCustomsBroker());
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  const filed = (reference: string) => sandbox.declarations().filter((d) => d.reference === reference);
  const requestsWith = (key: string) => sandbox.requests.filter((r) => r.idempotencyKey === key);

  it.each(['500', '503'] as const)(
    'maps an injected %s to DEPENDENCY_UNAVAILABLE (retryable); the retry files one declaration',
    async (kind) => {
      const request = sampleDeclaration();
      sandbox.faults.inject({ kind, times: 2, method: 'POST', path: '/v1/declarations' });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await failure(broker.submitDeclaration(request));
        expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
        expect(error.details).toMatchObject({ statusCode: Number(kind), kind: 'server_error' });
      }
      expect(filed(request.reference)).toHaveLength(0);
      await broker.submitDeclaration(request);
      expect(filed(request.reference)).toHaveLength(1);
    },
  );

  it('maps a 429 to RATE_LIMITED (retryable) with Retry-After', async () => {
    const request = sampleDeclaration();
    sandbox.faults.inject({ kind: '429', method: 'POST' });
    const error = await failure(broker.submitDeclaration(request));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect(error.details).toMatchObject({ statusCode: 429, retryAfterSeconds: 1 });
    expect(filed(request.reference)).toHaveLength(0);
    await broker.submitDeclaration(request);
    expect(filed(request.reference)).toHaveLength(1);
  });

  it('maps a slow answer beyond the timeout to DEPENDENCY_UNAVAILABLE (timeout); the late work is kept and the retry replays it', async () => {
    const request = sampleDeclaration();
    const impatient = brokerFor(sandbox, { timeoutMs: 100 });
    sandbox.faults.inject({ kind: 'slow', delayMs: 400, method: 'POST' });
    const error = await failure(impatient.submitDeclaration(request));
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
      details: { kind: 'timeout', outcomeUnknown: true },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(filed(request.reference)).toHaveLength(1);
    const retried = await impatient.submitDeclaration(request);
    expect(retried.declarationId).toBe(filed(request.reference)[0]?.declarationId);
    expect(requestsWith(request.reference).map((r) => r.replayed)).toEqual([false, true]);
  });

  it('answers a retry made while the first request still runs with a retryable conflict, never a second filing', async () => {
    const request = sampleDeclaration();
    sandbox.faults.inject({ kind: 'slow', delayMs: 300, method: 'POST' });
    const first = broker.submitDeclaration(request);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const concurrent = await failure(broker.submitDeclaration(request));
    expect(concurrent).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
      details: { kind: 'in_progress' },
    });
    await first;
    expect(filed(request.reference)).toHaveLength(1);
  });

  it('maps a connection dropped before anything was done to DEPENDENCY_UNAVAILABLE (connection)', async () => {
    const request = sampleDeclaration();
    sandbox.faults.inject({ kind: 'drop-before-commit', method: 'POST' });
    const error = await failure(broker.submitDeclaration(request));
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
      details: { kind: 'connection' },
    });
    expect(filed(request.reference)).toHaveLength(0);
  });

  it('survives a connection dropped after commit: the retry with the same key gets the one declaration', async () => {
    const request = sampleDeclaration();
    sandbox.faults.inject({ kind: 'drop-after-commit', method: 'POST', path: '/v1/declarations' });
    const error = await failure(broker.submitDeclaration(request));
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
      details: { kind: 'connection', outcomeUnknown: true },
    });
    expect(filed(request.reference)).toHaveLength(1);
    const retried = await broker.submitDeclaration(request);
    expect(retried.declarationId).toBe(filed(request.reference)[0]?.declarationId);
    expect(requestsWith(request.reference).map((r) => [r.status, r.replayed])).toEqual([
      ['dropped', false],
      [201, true],
    ]);
    expect((await waitForDecision(broker, retried.declarationId)).status).toBe('accepted');
  });

  it('maps faults on reads and voids the same way', async () => {
    const submitted = await broker.submitDeclaration(sampleDeclaration());
    sandbox.faults.inject({ kind: '500', method: 'GET' });
    expect((await failure(broker.getDeclaration(submitted.declarationId))).code).toBe(
      'DEPENDENCY_UNAVAILABLE',
    );
    sandbox.faults.inject({
      kind: 'drop-after-commit',
      method: 'POST',
      path: `/v1/declarations/${submitted.declarationId}/void`,
    });
    expect((await failure(broker.voidDeclaration(submitted.declarationId, 'cancelled'))).code).toBe(
      'DEPENDENCY_UNAVAILABLE',
    );
    expect((await broker.voidDeclaration(submitted.declarationId, 'cancelled')).status).toBe('voided');
  });

  it('maps an unreachable broker to DEPENDENCY_UNAVAILABLE', async () => {
    const { sandbox: gone } = await startTestCustomsBroker();
    const unreachable = brokerFor(gone);
    await gone.close();
    const error = await failure(unreachable.getDeclaration('dcl_x'));
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
      details: { kind: 'connection' },
    });
  });
});
