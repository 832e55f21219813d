/**
 * Encryption of Temporal payloads: workflow and activity inputs and results, signal, query and
 * update arguments, memo. Customer names, e-mail addresses and shipping addresses travel in
 * them and stay in the history on the Temporal server; with this codec on every client and
 * worker, the server only ever holds ciphertext.
 *
 * Format of an encrypted payload:
 *   metadata.encoding           = "binary/encrypted"
 *   metadata.encryption-key-id  = the id of the key (TEMPORAL_PAYLOAD_KEYS) it was encrypted with
 *   data                        = IV (12 random bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes)
 * where the plaintext is the original payload (its metadata and data) in protobuf binary form.
 *
 * Encoding uses the current key; decoding uses the key the payload names, so keys rotate by
 * adding a new current key and keeping the old ones listed. Payloads without the encrypted
 * encoding (histories recorded before encryption, search attributes) pass decoding unchanged.
 */
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';
import {
  METADATA_ENCODING_KEY,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { AppError } from '../../errors';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const ENCRYPTION_KEY_ID_METADATA = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface PayloadKeys {
  /** The key new payloads are encrypted with. */
  currentKeyId: string;
  /** Every key a payload may name: 32 bytes each. */
  keys: ReadonlyMap<string, Uint8Array>;
}

/**
 * Fresh random IVs, drawn from a buffer of random bytes filled IV_POOL_SIZE IVs at a time (one
 * call into the CSPRNG instead of one per payload, as Node's own randomUUID does). Every IV is a
 * distinct slice of the buffer: no byte is handed out twice, and the buffer is refilled, not
 * reused in place, once it is used up (slices handed out earlier stay valid).
 */
const IV_POOL_SIZE = 256;
class RandomIvs {
  private pool = Buffer.alloc(0);
  private next = 0;

  take(): Buffer {
    if (this.next + IV_BYTES > this.pool.length) {
      this.pool = randomFillSync(Buffer.allocUnsafe(IV_BYTES * IV_POOL_SIZE));
      this.next = 0;
    }
    const iv = this.pool.subarray(this.next, this.next + IV_BYTES);
    this.next += IV_BYTES;
    return iv;
  }
}

const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

/** AES-256-GCM payload codec with key ids (see the module comment for the format). */
export class EncryptionCodec implements PayloadCodec {
  /** Imported once: a raw key buffer would be imported again by every cipher made with it. */
  private readonly keys: ReadonlyMap<string, KeyObject>;
  private readonly ivs = new RandomIvs();
  readonly currentKeyId: string;

  constructor({ currentKeyId, keys }: PayloadKeys) {
    const copied = new Map<string, KeyObject>();
    for (const [id, key] of keys) {
      if (key.length !== KEY_BYTES) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Payload key "${id}" is ${key.length} bytes; AES-256 needs ${KEY_BYTES}`,
        );
      }
      copied.set(id, createSecretKey(Buffer.from(key)));
    }
    if (!copied.has(currentKeyId)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `The current payload key "${currentKeyId}" is not among the keys (${[...copied.keys()].join(', ')})`,
      );
    }
    this.keys = copied;
    this.currentKeyId = currentKeyId;
  }

  /** The ids of the keys this codec can decrypt with. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = this.ivs.take();
      const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
          [ENCRYPTION_KEY_ID_METADATA]: Buffer.from(this.currentKeyId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  private decodeOne(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[ENCRYPTION_KEY_ID_METADATA]);
    if (!keyId) {
      throw new AppError(
        'VALIDATION_FAILED',
        `An encrypted payload has no ${ENCRYPTION_KEY_ID_METADATA} metadata, so no key can decrypt it`,
        { field: ENCRYPTION_KEY_ID_METADATA },
      );
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new AppError(
        'VALIDATION_FAILED',
        `A payload is encrypted with key "${keyId}", which is not configured (TEMPORAL_PAYLOAD_KEYS has ` +
          `${this.keyIds.join(', ')}): add that key to decrypt it`,
        { field: ENCRYPTION_KEY_ID_METADATA, details: { keyId } },
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new AppError('VALIDATION_FAILED', `An encrypted payload (key "${keyId}") is truncated`, {
        field: 'data',
        details: { keyId },
      });
    }
    try {
      const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch (error) {
      throw new AppError(
        'VALIDATION_FAILED',
        `A payload named key "${keyId}" but does not decrypt with it (wrong key material, or the payload was altered)`,
        { field: 'data', details: { keyId }, cause: error },
      );
    }
  }
}

/** The data converter of every Temporal client and worker: the default converters, then encryption. */
export function encryptedDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec] };
}
