/**
 * The remote codec endpoint the Temporal Web UI and the temporal CLI call to show payloads
 * that the workers and the API encrypted (Temporal's codec server protocol): POST
 * /codec/decode and /codec/encode take and return `{ payloads: [{ metadata: { key: base64 },
 * data: base64 }] }` (Payloads in protobuf JSON), with the namespace in `X-Namespace`. Decoding
 * shows customer data, so it takes an API key of support, finance or admin; the Web UI's
 * origin (TEMPORAL_UI_ORIGIN) may call it from the browser (CORS).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Role } from '../../access';
import { AppError } from '../../errors';
import type { RouteAuth } from '../plugins/auth';
import { withErrors } from '../schemas';

/** Who may read customer data through the codec endpoint. */
export const CODEC_ROLES: readonly Role[] = ['support', 'finance', 'admin'];

export interface CodecRoutesDependencies {
  codec: PayloadCodec;
  /** The Temporal namespace whose payloads these keys encrypt; another X-Namespace is refused. */
  namespace: string;
  /** Browser origins of the Temporal Web UI allowed to call (CORS), e.g. http://localhost:8233. */
  allowedOrigins: readonly string[];
  /**
   * No API key needed. Only `npm run dev` sets this, and only while the payloads are encrypted
   * with the published development key (which anyone can decrypt with anyway), so that the dev
   * server's Web UI decodes without credentials.
   */
  allowAnonymous?: boolean;
}

const Base64 = Type.String({
  pattern: '^[A-Za-z0-9+/_-]*={0,2}$',
  description: 'Bytes in base64 (protobuf JSON).',
});

const JsonPayload = Type.Object(
  {
    metadata: Type.Optional(Type.Union([Type.Record(Type.String(), Base64), Type.Null()])),
    data: Type.Optional(Type.Union([Base64, Type.Null()])),
  },
  { $id: 'CodecPayload', title: 'CodecPayload' },
);

const PayloadsBody = Type.Object(
  { payloads: Type.Array(Type.Ref(JsonPayload)) },
  { $id: 'CodecPayloads', title: 'CodecPayloads' },
);

const CodecHeaders = Type.Object({
  'x-namespace': Type.Optional(
    Type.String({ description: 'Namespace of the payloads (the Web UI and temporal CLI send it).' }),
  ),
});

type JsonPayloadValue = { metadata?: Record<string, string> | null; data?: string | null };

function fromJson({ metadata, data }: JsonPayloadValue): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}

export const codecRoutes: FastifyPluginAsyncTypebox<CodecRoutesDependencies> = async (app, deps) => {
  app.addSchema(JsonPayload);
  app.addSchema(PayloadsBody);
  const origins = new Set(deps.allowedOrigins);
  const auth: RouteAuth = deps.allowAnonymous ? { public: true } : { roles: CODEC_ROLES };

  // CORS for the Web UI, on every answer of these routes (errors too, so the UI sees a 401).
  app.addHook('onSend', async (request, reply) => {
    void reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (origin && origins.has(origin)) {
      void reply.header('access-control-allow-origin', origin);
      // The UI's "Include cross-origin credentials" makes the browser demand this.
      void reply.header('access-control-allow-credentials', 'true');
    }
  });

  for (const operation of ['decode', 'encode'] as const) {
    const url = `/codec/${operation}`;

    app.options(
      url,
      { config: { auth: { public: true } }, schema: { hide: true } },
      async (request, reply) => {
        const origin = request.headers.origin;
        if (origin && origins.has(origin)) {
          void reply.headers({
            'access-control-allow-methods': 'POST, OPTIONS',
            'access-control-allow-headers': 'authorization, content-type, x-namespace',
            'access-control-max-age': '600',
          });
        }
        return reply.status(204).send();
      },
    );

    app.post(
      url,
      {
        config: { auth },
        schema: {
          summary:
            operation === 'decode'
              ? 'Decrypt Temporal payloads (remote codec for the Temporal Web UI and CLI)'
              : 'Encrypt Temporal payloads with the current key (remote codec)',
          description:
            "Temporal's remote codec protocol: Payloads in protobuf JSON in and out. Payloads that are not " +
            '`binary/encrypted` pass decoding unchanged; a payload of an unknown key, or one that does not ' +
            'decrypt, is a 400.',
          tags: ['operations'],
          headers: CodecHeaders,
          body: Type.Ref(PayloadsBody),
          response: withErrors({ 200: Type.Ref(PayloadsBody) }),
        },
      },
      async (request, reply) => {
        const namespace = request.headers['x-namespace'];
        if (namespace !== undefined && namespace !== deps.namespace) {
          throw new AppError(
            'VALIDATION_FAILED',
            `This codec serves namespace "${deps.namespace}", not "${namespace}"`,
            { field: 'x-namespace' },
          );
        }
        const body = request.body as { payloads: JsonPayloadValue[] };
        const input = body.payloads.map(fromJson);
        const output =
          operation === 'decode' ? await deps.codec.decode(input) : await deps.codec.encode(input);
        void reply.header('cache-control', 'no-store');
        return { payloads: output.map(toJson) };
      },
    );
  }
};
