import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DEV_PAYLOAD_KEY_ID, loadConfig, payloadKeyringFrom } from '../../../src/config';
import { AppError } from '../../../src/errors';
import {
  ENCRYPTED_ENCODING,
  ENCRYPTION_KEY_ID_METADATA,
  EncryptionCodec,
} from '../../../src/infra/temporal/payload-codec';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const customer = { name: 'Erika Mustermann', email: 'erika@example.com', line1: 'Hauptstraße 5' };
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('EncryptionCodec', () => {
  const codecA = new EncryptionCodec({ currentKeyId: 'a', keys: new Map([['a', keyA]]) });

  it('encrypts a payload into binary/encrypted naming its key, and decrypts it back exactly', async () => {
    const original = plain(customer);
    const [encrypted] = await codecA.encode([original]);
    expect(text(encrypted!.metadata![ENCRYPTION_KEY_ID_METADATA])).toBe('a');
    expect(text(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(Object.keys(encrypted!.metadata!).sort()).toEqual(['encoding', 'encryption-key-id']);
    // Nothing of the plaintext, nor its json/plain encoding, is visible.
    const bytes = Buffer.from(encrypted!.data!);
    for (const secret of [customer.name, customer.email, customer.line1, 'json/plain']) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    // IV (12) + ciphertext (same length as the serialized payload) + tag (16).
    expect(bytes.length).toBeGreaterThan(12 + 16);

    const [decoded] = await codecA.decode([encrypted!]);
    expect(text(decoded!.metadata!.encoding)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(customer);
  });

  it('uses a fresh random IV for every payload', async () => {
    const [one, two] = await codecA.encode([plain(customer), plain(customer)]);
    expect(Buffer.from(one!.data!).subarray(0, 12)).not.toEqual(Buffer.from(two!.data!).subarray(0, 12));
    expect(Buffer.from(one!.data!)).not.toEqual(Buffer.from(two!.data!));
  });

  it('never repeats an IV across refills of its random pool, and every payload decodes', async () => {
    // 256 IVs per pool: 1,000 payloads in several calls cross three refills.
    const encrypted: Payload[] = [];
    for (let call = 0; call < 10; call += 1) {
      encrypted.push(...(await codecA.encode(Array.from({ length: 100 }, (_, i) => plain({ call, i })))));
    }
    const ivs = new Set(
      encrypted.map((payload) => Buffer.from(payload.data!).subarray(0, 12).toString('hex')),
    );
    expect(ivs.size).toBe(1000);
    const decoded = await codecA.decode(encrypted);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual(
      Array.from({ length: 1000 }, (_, n) => ({ call: Math.floor(n / 100), i: n % 100 })),
    );
  });

  it('keeps its own copy of the key material', async () => {
    const material = Buffer.from(keyA);
    const codec = new EncryptionCodec({ currentKeyId: 'a', keys: new Map([['a', material]]) });
    material.fill(0);
    const [encrypted] = await codec.encode([plain(customer)]);
    const [decoded] = await codecA.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(customer);
  });

  it('passes payloads without its encoding through decode unchanged (histories from before encryption)', async () => {
    const payloads = [plain(customer), plain(null), plain(42), { metadata: {}, data: new Uint8Array() }];
    const decoded = await codecA.decode(payloads);
    expect(decoded).toEqual(payloads);
    expect(decoded[0]).toBe(payloads[0]);
  });

  it('encodes and decodes empty lists and undefined values', async () => {
    expect(await codecA.encode([])).toEqual([]);
    const [encrypted] = await codecA.encode([plain(undefined)]);
    const [decoded] = await codecA.decode([encrypted!]);
    expect(text(decoded!.metadata!.encoding)).toBe('binary/null');
  });

  it('rotates keys: encrypted with A, B made current, both decode; new payloads use B', async () => {
    const [underA] = await codecA.encode([plain(customer)]);
    const rotated = new EncryptionCodec({
      currentKeyId: 'b',
      keys: new Map([
        ['a', keyA],
        ['b', keyB],
      ]),
    });
    const [underB] = await rotated.encode([plain(customer)]);
    expect(text(underB!.metadata![ENCRYPTION_KEY_ID_METADATA])).toBe('b');
    const decoded = await rotated.decode([underA!, underB!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([customer, customer]);
    // A codec that only knows A cannot read B's payloads.
    const error = await failure(codecA.decode([underB!]));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('encrypted with key "b", which is not configured');
    expect(error.message).toContain('TEMPORAL_PAYLOAD_KEYS has a');
    expect(error.details).toEqual({ keyId: 'b' });
  });

  it('fails clearly on a payload whose key is unknown, without a key id, truncated or altered', async () => {
    const [encrypted] = await codecA.encode([plain(customer)]);
    const unknown = {
      ...encrypted!,
      metadata: { ...encrypted!.metadata, [ENCRYPTION_KEY_ID_METADATA]: Buffer.from('retired-2019') },
    };
    expect((await failure(codecA.decode([unknown]))).message).toMatch(
      /encrypted with key "retired-2019", which is not configured/,
    );

    const noKeyId = { ...encrypted!, metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) } };
    expect((await failure(codecA.decode([noKeyId]))).message).toMatch(/no encryption-key-id metadata/);

    const truncated = { ...encrypted!, data: Buffer.from(encrypted!.data!).subarray(0, 20) };
    expect((await failure(codecA.decode([truncated]))).message).toMatch(/truncated/);

    const altered = Buffer.from(encrypted!.data!);
    altered[20] = altered[20]! ^ 0xff;
    expect((await failure(codecA.decode([{ ...encrypted!, data: altered }]))).message).toMatch(
      /does not decrypt with it/,
    );

    // Same id, other key material (e.g. a key replaced instead of rotated).
    const impostor = new EncryptionCodec({ currentKeyId: 'a', keys: new Map([['a', keyB]]) });
    expect((await failure(impostor.decode([encrypted!]))).message).toMatch(/does not decrypt with it/);
  });

  it('refuses keys that are not 32 bytes and a current key that is not among them', () => {
    expect(() => new EncryptionCodec({ currentKeyId: 'a', keys: new Map([['a', randomBytes(16)]]) })).toThrow(
      /"a" is 16 bytes; AES-256 needs 32/,
    );
    expect(() => new EncryptionCodec({ currentKeyId: 'c', keys: new Map([['a', keyA]]) })).toThrow(
      /current payload key "c" is not among the keys \(a\)/,
    );
  });

  it('is built from the configuration: the published dev key by default', async () => {
    const keyring = payloadKeyringFrom(loadConfig({ NODE_ENV: 'test' }));
    expect(keyring.currentKeyId).toBe(DEV_PAYLOAD_KEY_ID);
    expect(keyring.keys.get(DEV_PAYLOAD_KEY_ID)!.toString('utf8')).toBe('borderline-dev-payload-key-00001');
    const codec = new EncryptionCodec(keyring);
    const [encrypted] = await codec.encode([plain(customer)]);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([encrypted!]))[0]!)).toEqual(customer);
  });
});
