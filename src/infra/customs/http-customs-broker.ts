import { createHash } from 'node:crypto';
import { AppError } from '../../errors';
import type { CustomsBrokerPort, Declaration, DeclarationRequest } from '../../domain/customs/port';
import { JsonApiClient, type JsonApiConfig } from '../http/json-api';
import { declarationFromWire, declarationRequestToWire } from './wire';

export type CustomsBrokerConfig = JsonApiConfig;

const ID = /^[A-Za-z0-9_]{1,100}$/;

function checkId(declarationId: string): string {
  if (typeof declarationId !== 'string' || !ID.test(declarationId)) {
    throw new AppError('VALIDATION_FAILED', 'declarationId must be the broker id of a declaration', {
      field: 'declarationId',
    });
  }
  return declarationId;
}

/**
 * The customs broker over HTTP (the sandbox's API; see src/sandboxes/customs-broker/README.md
 * for what a real broker adapter changes). Every mutating call carries an `Idempotency-Key`
 * derived from the business operation: the declaration's reference for a submission,
 * `declaration:<id>:void:<digest of the reason>` for a void (voiding is idempotent anyway; the
 * digest keeps a second void with another reason from being refused as a reused key). Errors:
 * see src/infra/http/json-api.ts.
 */
export class HttpCustomsBroker implements CustomsBrokerPort {
  readonly #client: JsonApiClient;

  constructor(config: CustomsBrokerConfig) {
    this.#client = new JsonApiClient('customs broker', config, 'bearer');
  }

  async submitDeclaration(request: DeclarationRequest): Promise<Declaration> {
    if (typeof request.reference !== 'string' || request.reference === '' || request.reference.length > 255) {
      throw new AppError('VALIDATION_FAILED', 'a declaration needs a reference of 1 to 255 characters', {
        field: 'reference',
      });
    }
    const { body } = await this.#client.request({
      method: 'POST',
      path: '/v1/declarations',
      body: declarationRequestToWire(request),
      idempotencyKey: request.reference,
      operation: 'submit_declaration',
    });
    return declarationFromWire(body);
  }

  async getDeclaration(declarationId: string): Promise<Declaration> {
    const { body } = await this.#client.request({
      method: 'GET',
      path: `/v1/declarations/${checkId(declarationId)}`,
      operation: 'get_declaration',
    });
    return declarationFromWire(body);
  }

  async voidDeclaration(declarationId: string, reason: string): Promise<Declaration> {
    const id = checkId(declarationId);
    const { body } = await this.#client.request({
      method: 'POST',
      path: `/v1/declarations/${id}/void`,
      body: { reason },
      idempotencyKey: `declaration:${id}:void:${createHash('sha256').update(reason).digest('hex').slice(0, 16)}`,
      operation: 'void_declaration',
    });
    return declarationFromWire(body);
  }
}
