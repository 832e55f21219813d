import type { ActivityDeps } from '../../activities';
import type { Config } from '../config';
import type { Database } from '../infra/database';
import { HttpCarrier } from '../infra/carrier';
import { HttpCustomsBroker } from '../infra/customs';
import { fxRateSource } from '../infra/fx';
import { PgOrderLedger } from '../infra/ledger/order-ledger';
import { parseStripeApiBase, StripePayments } from '../infra/payments';

/**
 * Where the worker's partners are: the configured APIs, or (outside production, when unset)
 * the sandboxes `npm run dev` starts on their default ports.
 */
export function partnerUrls(config: Config): { stripe?: string; customs: string; carrier: string } {
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const production = config.NODE_ENV === 'production';
  return {
    ...(config.STRIPE_API_BASE
      ? { stripe: config.STRIPE_API_BASE }
      : production
        ? {}
        : { stripe: local(config.STRIPE_SANDBOX_PORT) }),
    customs: config.CUSTOMS_BROKER_URL ?? local(config.CUSTOMS_SANDBOX_PORT),
    carrier: config.CARRIER_API_URL ?? local(config.CARRIER_SANDBOX_PORT),
  };
}

/** The real adapters the worker's activities use, from the configuration. */
export function activityDepsFromConfig(config: Config, db: Database): ActivityDeps {
  const urls = partnerUrls(config);
  return {
    db,
    payments: new StripePayments({
      secretKey: config.STRIPE_SECRET_KEY,
      ...(urls.stripe ? { apiBase: parseStripeApiBase(urls.stripe) } : {}),
    }),
    customs: new HttpCustomsBroker({ baseUrl: urls.customs, apiKey: config.CUSTOMS_BROKER_API_KEY }),
    carrier: new HttpCarrier({ baseUrl: urls.carrier, apiKey: config.CARRIER_API_KEY }),
    ledger: new PgOrderLedger(db),
    fx: fxRateSource(config.FX_RATES, db, config.FX_MAX_AGE_DAYS),
  };
}
