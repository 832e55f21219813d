import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PaymentProviderEvent } from '../../domain/payments';
import {
  describeStripeEvent,
  newPaymentEvent,
  STRIPE_WEBHOOK_TOLERANCE_SECONDS,
  verifyStripeWebhook,
  type PaymentEventStore,
} from '../../infra/payments';
import { AppError } from '../../errors';
import { withErrors } from '../schemas';

/**
 * Hands an event the business acts on to whoever acts on it (the order's workflow). Called for
 * every delivery of such an event until one hand-over succeeds (the receiver ignores repeats by
 * event id); if it fails, the delivery is answered 503 so that Stripe delivers it again.
 */
export type PaymentEventHandler = (event: PaymentProviderEvent) => Promise<void>;
export const ignorePaymentEvents: PaymentEventHandler = async () => undefined;

export interface StripeWebhookDependencies {
  /** Signing secret of this endpoint (`whsec_...`). */
  webhookSecret: string;
  events: PaymentEventStore;
  onPaymentEvent: PaymentEventHandler;
  /** Oldest signature timestamp accepted, in seconds; default 300. */
  toleranceSeconds?: number;
}

const StripeEventBody = Type.Unsafe<Buffer>({
  title: 'StripeEvent',
  description:
    'A Stripe Event object (https://docs.stripe.com/api/events/object), exactly as Stripe sends it. ' +
    'Opaque to this API: the signature covers the raw bytes, so the body is verified before it is read.',
});

const SignatureHeaders = Type.Object({
  'stripe-signature': Type.String({
    description:
      '`t=<unix seconds>,v1=<HMAC-SHA256>` as Stripe signs it with the endpoint secret; at most 5 minutes old.',
  }),
});

const Acknowledgement = Type.Object(
  {
    received: Type.Literal(true),
    eventId: Type.String({ description: "Stripe's event id (evt_...)." }),
    outcome: Type.Union([Type.Literal('stored'), Type.Literal('ignored'), Type.Literal('duplicate')], {
      description:
        'stored: new, kept for the order saga; ignored: new, of a type Borderline does not act on (kept as ' +
        'ignored); duplicate: already stored (a redelivery), nothing done.',
    }),
  },
  { title: 'StripeWebhookAcknowledgement' },
);

/**
 * POST /v1/webhooks/stripe: Stripe's events about payments, refunds and transfers. Public: the
 * Stripe-Signature over the raw body authenticates the caller instead of an API key. Each event
 * is stored once by its id and acknowledged at once; redeliveries are acknowledged and ignored.
 */
export const stripeWebhookRoutes: FastifyPluginAsyncTypebox<StripeWebhookDependencies> = async (
  app,
  deps,
) => {
  if (!deps.webhookSecret) throw new Error('the Stripe webhook route needs a webhook secret');
  const toleranceSeconds = deps.toleranceSeconds ?? STRIPE_WEBHOOK_TOLERANCE_SECONDS;

  // The signature covers the exact bytes: keep them. Scoped to this plugin; the rest of the API
  // keeps its JSON parser.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/webhooks/stripe',
    {
      // Stripe's deliveries are authenticated by their signature and not rate-limited (Stripe
      // retries a refused delivery for days; a 429 would only delay events).
      config: { auth: { public: true }, rateLimit: false },
      schema: {
        summary: 'Receive a Stripe event (webhook endpoint)',
        description:
          'Authenticated by the Stripe-Signature header, not by an API key. A missing, altered, wrongly ' +
          'signed or stale delivery is refused with 400 and nothing is stored.',
        tags: ['payments'],
        headers: SignatureHeaders,
        body: StripeEventBody,
        response: withErrors({ 200: Acknowledgement }),
      },
    },
    async (request) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const event = verifyStripeWebhook(
        rawBody,
        request.headers['stripe-signature'],
        deps.webhookSecret,
        toleranceSeconds,
      );
      const meaning = describeStripeEvent(event);
      const record = newPaymentEvent(event, meaning);
      const { stored, processed } = await deps.events.receive(record);
      const outcome = !stored ? 'duplicate' : record.status === 'ignored' ? 'ignored' : 'stored';
      request.log.info({ eventId: event.id, type: event.type, outcome }, 'Stripe event received');

      if (record.status === 'received' && !processed) {
        try {
          await deps.onPaymentEvent(meaning);
        } catch (error) {
          request.log.error({ err: error, eventId: event.id }, 'could not hand the Stripe event over');
          throw new AppError(
            'DEPENDENCY_UNAVAILABLE',
            'the event could not be handed over; deliver it again',
            {
              cause: error,
            },
          );
        }
        await deps.events.markProcessed(event.id);
      }
      return { received: true as const, eventId: event.id, outcome };
    },
  );
};
