import { createDatabase } from '../infra/database';

/**
 * Sample merchants for `npm run dev`, so that POST /v1/quotes works at once and settlement runs
 * pay them (connected accounts of the Stripe sandbox, which accepts any `acct_` id). Fictional;
 * ids are stable so scripts can use them. Idempotent: existing rows are left as they are.
 */
export const DEV_MERCHANTS = [
  {
    id: 'mer_dev_us_outdoor',
    name: 'Sample Outdoor Co. (dev)',
    country: 'US',
    settlementCurrency: 'USD',
    stripeAccountId: 'acct_devUsOutdoor',
  },
  {
    id: 'mer_dev_gb_teahouse',
    name: 'Sample Tea House Ltd (dev)',
    country: 'GB',
    settlementCurrency: 'GBP',
    stripeAccountId: 'acct_devGbTeaHouse',
  },
  {
    id: 'mer_dev_de_toys',
    name: 'Beispiel Spielwaren GmbH (dev)',
    country: 'DE',
    settlementCurrency: 'EUR',
    stripeAccountId: 'acct_devDeToys',
  },
] as const;

export async function seedDevMerchants(options: {
  databaseUrl: string;
  log?: (message: string) => void;
}): Promise<string[]> {
  const db = createDatabase({ url: options.databaseUrl, poolSize: 1 });
  try {
    const { count } = await db.merchant.createMany({ data: [...DEV_MERCHANTS], skipDuplicates: true });
    const ids = DEV_MERCHANTS.map((m) => m.id);
    options.log?.(
      `Dev merchants (${count} added): ${DEV_MERCHANTS.map((m) => `${m.id} (${m.country}, ${m.settlementCurrency})`).join(', ')}`,
    );
    return ids;
  } finally {
    await db.$disconnect();
  }
}
