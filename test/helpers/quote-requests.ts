/** Bodies of `POST /v1/quotes` for the API tests: a EUR cart shipped from the US to Germany. */
type Json = Record<string, unknown>;

/** A Berlin address in `country` (DE unless a test wants a mismatch). */
export const berlinAddress = (country = 'DE') => ({
  line1: 'Hauptstraße 1',
  city: 'Berlin',
  postalCode: '10115',
  country,
});

/** A cotton T-shirt line (HS 6109100012, made in Viet Nam), one unit unless `extra` says otherwise. */
export const teeLine = (unitPrice: string, extra: Json = {}) => ({
  sku: 'TEE-COT-001',
  description: 'Organic cotton T-shirt',
  hsCode: '6109100012',
  originCountry: 'VN',
  unitPrice,
  quantity: 1,
  weightGrams: 180,
  ...extra,
});

/** Two T-shirts at 19.99 EUR, DDP, from California to Berlin; `overrides` replace whole fields. */
export function deCart(merchantId: string, overrides: Json = {}): Json {
  return {
    merchantId,
    currency: 'EUR',
    incoterm: 'DDP',
    shipFrom: { country: 'US', region: 'CA', postalCode: '94107' },
    shipTo: { country: 'DE', postalCode: '10115' },
    lines: [teeLine('19.99', { quantity: 2 })],
    buyer: { name: 'Anna Schmidt', address: berlinAddress() },
    consignee: { name: 'Anna Schmidt', address: berlinAddress() },
    ...overrides,
  };
}
