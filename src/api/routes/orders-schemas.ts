import { Type } from '@sinclair/typebox';
import { ORDER_STATUSES, ORDER_STEPS } from '../../domain/orders/types';

const NoControlCharacters = '^[^\\u0000-\\u001f\\u007f]*$';
const Text = (maxLength: number, description?: string) =>
  Type.String({
    minLength: 1,
    maxLength,
    pattern: NoControlCharacters,
    ...(description ? { description } : {}),
  });
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' });

export const OrderIdPattern = '^[A-Za-z0-9_.-]{1,64}$';

export const Money = Type.Object(
  {
    amount: Type.Integer({ description: 'Minor units of the currency (cents; yen; fils).' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);

export const PostalAddressBody = Type.Object(
  {
    name: Text(200, 'Who receives the parcel.'),
    line1: Text(200),
    line2: Type.Optional(Text(200)),
    city: Text(100),
    region: Type.Optional(Text(100)),
    postalCode: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9 -]{1,16}$' })),
    country: Country,
  },
  { additionalProperties: false },
);

export const PlaceOrderBody = Type.Object(
  {
    orderId: Type.String({ pattern: OrderIdPattern, description: "The checkout service's order id." }),
    quoteId: Type.String({
      pattern: '^qt_[0-9a-f]{24}$',
      description: 'The quote whose price the order pays.',
    }),
    customer: Type.Object(
      {
        name: Text(200),
        email: Type.String({ format: 'email', maxLength: 254 }),
        phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{5,20}$' })),
      },
      { additionalProperties: false },
    ),
    shippingAddress: PostalAddressBody,
    paymentMethodId: Type.String({
      pattern: '^pm_[A-Za-z0-9_]{1,100}$',
      description: "The shopper's Stripe payment method (pm_...).",
    }),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    pattern: '^[A-Za-z0-9_.:-]{1,255}$',
    description: 'Required. Repeating a request with the same key and body answers with the same order.',
  }),
});

export const OrderIdParams = Type.Object({ id: Type.String({ pattern: OrderIdPattern }) });

const Problem = Type.Object({
  step: Type.String(),
  code: Type.String(),
  message: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

export const OrderView = Type.Object(
  {
    orderId: Type.String(),
    quoteId: Type.String(),
    merchantId: Type.String(),
    status: Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s))),
    currentStep: Type.Union([Type.Union(ORDER_STEPS.map((s) => Type.Literal(s))), Type.Null()]),
    amounts: Type.Union([
      Type.Object({
        currency: Type.String(),
        charge: Money,
        goods: Money,
        shipping: Money,
        duties: Money,
        taxes: Money,
        fees: Money,
        dueOnDelivery: Money,
        authorized: Type.Optional(Money),
        captured: Type.Optional(Money),
        refunded: Type.Optional(Money),
      }),
      Type.Null(),
    ]),
    shipToCountry: Type.String(),
    paymentIntentId: Type.Optional(Type.String()),
    declaration: Type.Optional(
      Type.Object({
        declarationId: Type.String(),
        status: Type.String(),
        movementReference: Type.Optional(Type.String()),
        issues: Type.Array(
          Type.Object({
            code: Type.String(),
            message: Type.String(),
            lineNumber: Type.Optional(Type.Integer()),
          }),
        ),
      }),
    ),
    label: Type.Optional(
      Type.Object({
        shipmentId: Type.String(),
        labelId: Type.String(),
        carrier: Type.String(),
        service: Type.String(),
        trackingNumber: Type.String(),
        labelUrl: Type.String(),
        cost: Money,
      }),
    ),
    tracking: Type.Optional(
      Type.Object({
        status: Type.String(),
        lastEventAt: Type.Optional(Type.String()),
        handedOverAt: Type.Optional(Type.String()),
        deliveredAt: Type.Optional(Type.String()),
        events: Type.Array(
          Type.Object({
            eventId: Type.String(),
            status: Type.String(),
            occurredAt: Type.String(),
            description: Type.String(),
          }),
        ),
      }),
    ),
    paymentEvents: Type.Optional(
      Type.Array(Type.Object({ eventId: Type.String(), type: Type.String(), occurredAt: Type.String() })),
    ),
    outcome: Type.Optional(Type.Object({ reason: Type.String(), code: Type.Optional(Type.String()) })),
    lastError: Type.Optional(Problem),
    nextDeadline: Type.Optional(
      Type.Object({ at: Type.String({ format: 'date-time' }), what: Type.String() }),
    ),
    attention: Type.Optional(Problem),
    placedAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Order', title: 'Order' },
);

export const TimelineBody = Type.Object(
  {
    orderId: Type.String(),
    timeline: Type.Array(
      Type.Object({
        step: Type.String(),
        status: Type.Union(
          ['running', 'done', 'failed', 'compensated', 'skipped'].map((s) => Type.Literal(s)),
        ),
        startedAt: Type.String({ format: 'date-time' }),
        endedAt: Type.Optional(Type.String({ format: 'date-time' })),
        attempts: Type.Integer(),
        error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
        detail: Type.Optional(Type.String()),
      }),
    ),
    pending: Type.Array(
      Type.Object(
        {
          activity: Type.String(),
          attempt: Type.Integer(),
          lastFailure: Type.Optional(Type.String()),
          nextAttemptAt: Type.Optional(Type.String()),
        },
        {
          description: 'Activities running now, with their attempt and last failure (why an order is stuck).',
        },
      ),
    ),
  },
  { title: 'OrderTimeline' },
);

export const OrderListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Array(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s))), {
        description: 'Repeat for several.',
      }),
    ),
    merchantId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
    needsAttention: Type.Optional(Type.Boolean()),
    orderIdPrefix: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Orders whose id starts with this.' }),
    ),
    sort: Type.Optional(
      Type.Union([Type.Literal('newest'), Type.Literal('attention')], {
        default: 'newest',
        description: '`newest` first (default), or `attention`: orders needing attention first, then newest.',
      }),
    ),
    placedFrom: Type.Optional(Type.String({ format: 'date-time' })),
    placedTo: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const OrderList = Type.Object({
  data: Type.Array(
    Type.Object({
      orderId: Type.String(),
      merchantId: Type.String(),
      status: Type.String(),
      currentStep: Type.Union([Type.String(), Type.Null()]),
      needsAttention: Type.Boolean(),
      currency: Type.String(),
      total: Money,
      shipToCountry: Type.String(),
      placedAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const CancelBody = Type.Object({ reason: Text(500) }, { additionalProperties: false });

export const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    note: Text(1000),
    corrections: Type.Optional(
      Type.Array(
        Type.Object(
          {
            lineNumber: Type.Integer({ minimum: 1 }),
            description: Type.Optional(Text(500)),
            hsCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,10}$' })),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 200,
          description: 'For a customs correction: how to declare these lines when filing again.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RefundBody = Type.Object(
  {
    amount: Type.Object(
      {
        amount: Type.Integer({
          minimum: 1,
          maximum: Number.MAX_SAFE_INTEGER,
          description: 'Minor units of the order currency; at most what is left to refund.',
        }),
        currency: Type.String({ pattern: '^[A-Z]{3}$', description: "The order's currency." }),
      },
      { additionalProperties: false },
    ),
    reason: Type.Union([
      Type.Literal('requested_by_customer'),
      Type.Literal('duplicate'),
      Type.Literal('fraudulent'),
    ]),
    note: Type.Optional(Text(1000)),
  },
  { additionalProperties: false },
);

export const RefundResultBody = Type.Object(
  {
    refundId: Type.String(),
    orderId: Type.String(),
    amount: Money,
    status: Type.String({ description: "The payment provider's refund status (succeeded, pending, ...)." }),
    providerRefundId: Type.String(),
    refunded: Money,
    refundable: Money,
  },
  { title: 'Refund' },
);
