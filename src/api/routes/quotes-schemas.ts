import { Type, type TSchema } from '@sinclair/typebox';
import { MAX_DELIVERY_PROMISE_DAYS } from '../../domain/quotes';
import { QUOTE_ID_PATTERN } from '../../infra/quotes';

// ---- Shared pieces -------------------------------------------------------------------------

const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001f\\u007f]+$';
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: NO_CONTROL_CHARACTERS, description });

const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, e.g. DE.' });
const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. EUR.' });
const DecimalAmount = (description: string) =>
  Type.String({
    pattern: '^[0-9]+(\\.[0-9]+)?$',
    maxLength: 32,
    description: `${description} A decimal string with at most the currency's decimals ("19.99", JPY "1999"); never rounded.`,
  });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD.' });
const IsoDateTime = Type.String({ format: 'date-time' });

// ---- Request -------------------------------------------------------------------------------

const Location = Type.Object(
  {
    country: CountryCode,
    region: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9-]{1,10}$',
        description: 'State or province code; for Canada it decides GST/HST (e.g. ON).',
      }),
    ),
    postalCode: Type.Optional(Text(20)),
  },
  { additionalProperties: false },
);

const Address = Type.Object(
  {
    line1: Text(200),
    line2: Type.Optional(Text(200)),
    city: Text(100),
    region: Type.Optional(Text(50)),
    postalCode: Type.Optional(Text(20)),
    country: CountryCode,
  },
  { additionalProperties: false },
);

const Party = Type.Object({ name: Text(200), address: Address }, { additionalProperties: false });

const Dimensions = Type.Object(
  {
    lengthMm: Type.Integer({ minimum: 1, maximum: 10_000 }),
    widthMm: Type.Integer({ minimum: 1, maximum: 10_000 }),
    heightMm: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  { additionalProperties: false, description: 'Size of one unit in millimetres, for volumetric weight.' },
);

const LineRequest = Type.Object(
  {
    sku: Text(100),
    description: Text(500),
    hsCode: Type.String({
      pattern: '^[0-9]{6,10}$',
      description: 'HS subheading (6 digits) plus national extension, digits only, e.g. 6109100012.',
    }),
    originCountry: CountryCode,
    unitPrice: DecimalAmount('Price of one unit in the cart currency.'),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    weightGrams: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Weight of one unit.' }),
    dimensions: Type.Optional(Dimensions),
  },
  { additionalProperties: false },
);

const ShippingPreference = Type.Object(
  {
    deliveryPromiseDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_DELIVERY_PROMISE_DAYS,
        description: 'Cheapest service whose latest delivery is within this many business days.',
      }),
    ),
    priceCap: Type.Optional(DecimalAmount('Fastest service costing at most this, in the cart currency.')),
  },
  {
    additionalProperties: false,
    description:
      'Give one of deliveryPromiseDays or priceCap; neither: the cheapest service. DDP quotes only use services that deliver duties paid.',
  },
);

export const QuoteRequestBody = Type.Object(
  {
    merchantId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
    currency: CurrencyCode,
    incoterm: Type.Union([Type.Literal('DDP'), Type.Literal('DAP')], {
      description: 'DDP: duties and import taxes charged at checkout. DAP: estimated, paid on delivery.',
    }),
    shipFrom: Location,
    shipTo: Location,
    lines: Type.Array(LineRequest, { minItems: 1, maxItems: 200 }),
    buyer: Party,
    consignee: Party,
    shipping: Type.Optional(ShippingPreference),
  },
  { additionalProperties: false, title: 'QuoteRequest' },
);

export const QuoteIdParams = Type.Object({
  id: Type.String({ pattern: QUOTE_ID_PATTERN, description: 'Quote id, qt_ followed by 24 hex digits.' }),
});

// ---- Response ------------------------------------------------------------------------------

const Money = Type.Object(
  {
    amount: Type.Integer({ description: 'Integer minor units (cents; yen for JPY).' }),
    currency: CurrencyCode,
  },
  { description: 'An amount in minor units of a currency.' },
);

const RuleRef = Type.Object({ id: Type.String(), version: Type.Integer() });

const DutyComponent = Type.Object({
  rule: RuleRef,
  kind: Type.Union(['MFN', 'PREFERENCE', 'ADDITIONAL', 'FLAT_PER_SUBHEADING'].map((k) => Type.Literal(k))),
  ratePercent: Nullable(Type.String()),
  base: Money,
  amount: Money,
});

const TaxComponent = Type.Object({
  rule: RuleRef,
  taxName: Type.String(),
  ratePercent: Type.String(),
  base: Money,
  amount: Money,
});

const QuoteLineView = Type.Object({
  index: Type.Integer(),
  sku: Type.String(),
  description: Type.String(),
  hsCode: Type.String(),
  originCountry: Type.String(),
  quantity: Type.Integer(),
  taxCategory: Type.String(),
  unitPrice: Money,
  goods: Money,
  shipping: Money,
  duties: Money,
  taxes: Money,
  fees: Money,
  landedTotal: Money,
  chargeNow: Money,
  dueOnDelivery: Money,
  customsValue: Type.Composite([Money], { description: 'Customs value, destination currency.' }),
  dutyComponents: Type.Array(DutyComponent),
  taxComponents: Type.Array(TaxComponent),
});

const Totals = Type.Object({
  goods: Money,
  shipping: Money,
  duties: Money,
  taxes: Money,
  fees: Money,
  landedTotal: Money,
  chargeNow: Type.Composite([Money], { description: 'What the order saga charges, exactly.' }),
  dueOnDelivery: Type.Composite([Money], {
    description: 'Estimate of what the buyer pays the carrier on delivery (DAP); zero for DDP.',
  }),
});

const ShippingOption = Type.Object({
  serviceId: Type.String(),
  rateCard: RuleRef,
  carrier: Type.String(),
  level: Type.String(),
  transportMode: Type.String(),
  zone: Type.String(),
  billableGrams: Type.Integer(),
  price: Type.Composite([Money], { description: 'Price to the buyer, cart currency.' }),
  carrierPrice: Type.Composite([Money], { description: "The carrier's price, its rate card's currency." }),
  transitDays: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  earliestDelivery: IsoDate,
  latestDelivery: IsoDate,
  ddpSupported: Type.Boolean(),
});

const ShippingView = Type.Object({
  rule: Type.Object({
    kind: Type.Union(
      ['CHEAPEST', 'CHEAPEST_WITHIN_PROMISE', 'FASTEST_WITHIN_CAP'].map((k) => Type.Literal(k)),
    ),
    deliveryPromiseDays: Type.Optional(Type.Integer()),
    priceCap: Type.Optional(Money),
  }),
  shipDate: IsoDate,
  deliverBy: Nullable(IsoDate),
  chosen: ShippingOption,
  options: Type.Array(ShippingOption),
  rejected: Type.Array(Type.Object({ serviceId: Type.String(), reason: Type.String() })),
  unavailable: Type.Array(Type.Object({ serviceId: Type.String(), reason: Type.String() })),
});

const ScreeningView = Type.Object({
  decision: Type.Union([Type.Literal('ALLOW'), Type.Literal('REVIEW'), Type.Literal('BLOCK')], {
    description: 'BLOCK: the order saga refuses the quote. REVIEW: the order waits for a person.',
  }),
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      severity: Type.Union([Type.Literal('BLOCK'), Type.Literal('REVIEW')]),
      message: Type.String(),
      field: Type.String({ description: 'The request field the reason is about, e.g. buyer.name.' }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
  partyMatches: Type.Array(
    Type.Object({
      field: Type.String(),
      deniedPartyId: Type.String(),
      list: Type.String(),
      matchedName: Type.String(),
      score: Type.Number(),
      countryMatches: Type.Boolean(),
    }),
  ),
  rulesUsed: Type.Array(RuleRef),
});

const FxRateView = Type.Object({
  from: Type.String(),
  to: Type.String(),
  rate: Type.String({ description: 'Exact decimal: 1 unit of `from` buys `rate` units of `to`.' }),
  source: Type.String(),
  asOf: IsoDateTime,
});

const FxView = Type.Object({
  reference: Type.Object({ source: Type.String(), date: IsoDate, publishedAt: IsoDateTime }),
  rates: Type.Array(FxRateView),
  conversions: Type.Array(
    Type.Object({
      purpose: Type.String(),
      from: Money,
      to: Money,
      rate: Type.String(),
      inverted: Type.Boolean(),
      source: Type.String(),
      asOf: Type.String(),
      roundingMode: Type.String(),
    }),
  ),
});

const Collection = Type.Union(['NONE', 'CHECKOUT', 'ON_DELIVERY'].map((c) => Type.Literal(c)));

export const QuoteView = Type.Object(
  {
    id: Type.String({ pattern: QUOTE_ID_PATTERN }),
    status: Type.Union([Type.Literal('OPEN'), Type.Literal('EXPIRED'), Type.Literal('CONSUMED')], {
      description: 'OPEN until expiresAt or until an order uses it (CONSUMED).',
    }),
    merchantId: Type.String(),
    currency: Type.String(),
    incoterm: Type.Union([Type.Literal('DDP'), Type.Literal('DAP')]),
    shipFrom: Type.Object({
      country: Type.String(),
      region: Type.Optional(Type.String()),
      postalCode: Type.Optional(Type.String()),
    }),
    shipTo: Type.Object({
      country: Type.String(),
      region: Type.Optional(Type.String()),
      postalCode: Type.Optional(Type.String()),
    }),
    createdAt: Type.String({ format: 'date-time', description: 'The quote time.' }),
    expiresAt: Type.String({ format: 'date-time', description: 'The price lock holds until this instant.' }),
    consumedByOrderId: Nullable(Type.String()),
    lines: Type.Array(QuoteLineView),
    shipping: ShippingView,
    totals: Totals,
    collection: Type.Object({ duties: Collection, taxes: Collection, fees: Collection }),
    regime: Type.Object({
      code: Type.String(),
      reason: Type.String(),
      dutyMode: Type.String(),
      taxMode: Type.String(),
      consignmentValue: Money,
      threshold: Nullable(Money),
    }),
    destination: Type.Object({
      country: Type.String(),
      region: Nullable(Type.String()),
      market: Type.String(),
      currency: Type.String(),
    }),
    destinationTotals: Type.Object({ customsValue: Money, duties: Money, taxes: Money, fees: Money }),
    rulesUsed: Type.Object({
      landedCost: Type.Array(RuleRef),
      screening: Type.Array(RuleRef),
      shipping: Type.Array(RuleRef),
    }),
    fx: FxView,
    screening: ScreeningView,
    notes: Type.Array(Type.String()),
  },
  { $id: 'Quote', title: 'Quote' },
);
