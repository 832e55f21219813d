import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TrackingEvent } from '../../domain/shipping/tracking';
import { AppError } from '../../errors';
import {
  CARRIER_SIGNATURE_FIELD,
  type CarrierEventStore,
  orderIdOfReference,
  verifyCarrierWebhook,
} from '../../infra/carrier';
import { withErrors } from '../schemas';

/** Hands a tracking event to its order (the order's workflow ignores repeats). */
export type TrackingEventHandler = (
  orderId: string,
  event: TrackingEvent,
) => Promise<'delivered' | 'no_such_order'>;

export interface CarrierWebhookDependencies {
  /** Where deliveries are recorded (each event once) and hand-overs marked. */
  events: Pick<CarrierEventStore, 'receive' | 'markProcessed'>;
  /** HMAC secret shared with the carrier (CARRIER_WEBHOOK_SECRET). */
  webhookSecret: string;
  onTrackingEvent: TrackingEventHandler;
}

/**
 * POST /v1/webhooks/carrier: tracking events from the carrier aggregator, signed with
 * HMAC-SHA256 of the raw body (X-Hmac-Signature). Public: the signature authenticates. Each
 * event is stored once and handed to its order's workflow until a hand-over succeeds; a failed
 * hand-over answers 503 so that the carrier delivers the event again.
 */
export const carrierWebhookRoutes: FastifyPluginAsyncTypebox<CarrierWebhookDependencies> = async (
  app,
  deps,
) => {
  if (!deps.webhookSecret) throw new Error('the carrier webhook route needs a webhook secret');
  const { events } = deps;
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/webhooks/carrier',
    {
      // Signed deliveries; not rate-limited (the carrier retries refused ones).
      config: { auth: { public: true }, rateLimit: false },
      schema: {
        summary: 'Receive a carrier tracking event (webhook endpoint)',
        description:
          'Authenticated by X-Hmac-Signature (HMAC-SHA256 of the raw body with the shared secret), not by an ' +
          'API key. A missing, altered, wrongly signed or stale delivery is refused with 400 and nothing is stored.',
        tags: ['shipping'],
        headers: Type.Object({ [CARRIER_SIGNATURE_FIELD]: Type.String() }),
        body: Type.Unsafe<Buffer>({ title: 'CarrierTrackingEvent', description: 'A tracker.updated event.' }),
        response: withErrors({
          200: Type.Object({
            received: Type.Literal(true),
            eventId: Type.String(),
            outcome: Type.Union([
              Type.Literal('delivered'),
              Type.Literal('duplicate'),
              Type.Literal('no_such_order'),
            ]),
          }),
        }),
      },
    },
    async (request) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const event = verifyCarrierWebhook(rawBody, request.headers, deps.webhookSecret);
      const orderId = orderIdOfReference(event.reference);
      const stored = await events.receive(event, orderId);
      if (stored.processed)
        return { received: true as const, eventId: event.eventId, outcome: 'duplicate' as const };
      if (!orderId) {
        request.log.warn(
          { eventId: event.eventId, reference: event.reference },
          'carrier event for no order of ours',
        );
        return { received: true as const, eventId: event.eventId, outcome: 'no_such_order' as const };
      }
      let outcome: 'delivered' | 'no_such_order';
      try {
        outcome = await deps.onTrackingEvent(orderId, event);
      } catch (error) {
        request.log.error({ err: error, eventId: event.eventId }, 'could not hand the carrier event over');
        throw new AppError('DEPENDENCY_UNAVAILABLE', 'the event could not be handed over; deliver it again', {
          cause: error,
        });
      }
      await events.markProcessed(event.eventId);
      request.log.info(
        { eventId: event.eventId, orderId, status: event.status, outcome },
        'carrier event received',
      );
      return { received: true as const, eventId: event.eventId, outcome };
    },
  );
};
