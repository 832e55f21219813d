import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_API_KEY_CACHE_TTL_MS } from '../access/key-store';
import { DEV_PAYLOAD_KEY_ID, DEV_PAYLOAD_KEYS } from './payload-keys';

const Seconds = (defaultSeconds: number, description: string) =>
  Type.Integer({
    minimum: 1,
    maximum: 31_536_000,
    default: defaultSeconds,
    description: `${description} Seconds.`,
  });

const Port = (defaultPort: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort, description });

/**
 * Every environment variable Borderline reads. `.env.example` lists the same names with their
 * defaults (a unit test keeps the two in step).
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
    description:
      "development, test or production. production requires DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_PAYLOAD_KEYS, the Stripe keys and the partners' settings.",
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info', description: 'pino log level.' },
  ),

  API_HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: 'Interface the HTTP API binds to.',
  }),
  API_PORT: Port(3000, 'Port of the HTTP API.'),
  API_BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 10 * 1024 * 1024,
    default: 1024 * 1024,
    description: 'Largest request body accepted, in bytes.',
  }),
  API_KEY_CACHE_TTL_MS: Type.Integer({
    minimum: 0,
    maximum: 300_000,
    default: DEFAULT_API_KEY_CACHE_TTL_MS,
    description:
      'How long an API process trusts an API key it found valid before asking the database again (ms); a key revoked through another process (another replica, the keys CLI) stops working here within this time, through this process at once. 0: ask every request.',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 600,
    description:
      'Requests a minute per API key (per client IP without a valid key), per API process. Webhooks and /health are exempt.',
  }),
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: 1000,
    description: 'Answer 503 while the mean event-loop delay exceeds this (ms); 0 turns the check off.',
  }),
  PRESSURE_MAX_EVENT_LOOP_UTILIZATION: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.98,
    description: 'Answer 503 while event-loop utilisation exceeds this (0 to 1); 0 turns the check off.',
  }),
  PRESSURE_MAX_HEAP_USED_BYTES: Type.Integer({
    minimum: 0,
    default: 0,
    description: 'Answer 503 while the V8 heap in use exceeds this (bytes); 0 turns the check off.',
  }),
  PRESSURE_MAX_RSS_BYTES: Type.Integer({
    minimum: 0,
    default: 0,
    description: 'Answer 503 while the resident set size exceeds this (bytes); 0 turns the check off.',
  }),
  CORS_ALLOWED_ORIGINS: Type.Optional(
    Type.String({
      pattern: '^\\s*https?://[^\\s,/]+(\\s*,\\s*https?://[^\\s,/]+)*\\s*$',
      description:
        'Comma-separated browser origins (scheme://host[:port]) allowed to call the API cross-origin. Unset: no CORS headers at all.',
    }),
  ),
  METRICS_HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: "Interface of the API's Prometheus listener (GET /metrics, no authentication).",
  }),
  METRICS_PORT: Port(9464, "Port of the API's Prometheus listener (GET /metrics, no authentication)."),
  TEMPORAL_METRICS_PORT: Port(
    9465,
    "Port of the worker's Prometheus endpoint (Temporal SDK metrics and saga step counters), on METRICS_HOST.",
  ),
  OTEL_TRACING: Type.Boolean({
    default: false,
    description:
      'OpenTelemetry tracing of HTTP requests, workflow starts, workflows and activities, exported over OTLP/HTTP. Off: nothing OpenTelemetry is loaded.',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.String({
    pattern: '^https?://[^\\s?#]+$',
    default: 'http://127.0.0.1:4318',
    description:
      'Base URL of the OTLP/HTTP collector spans go to when OTEL_TRACING is true (traces are posted to <url>/v1/traces).',
  }),
  SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0,
    maximum: 600_000,
    default: 15_000,
    description: 'How long a stopping process waits for requests and activities in flight.',
  }),
  QUOTE_TTL_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    default: 1800,
    description: 'How long a quote (POST /v1/quotes) locks its price before the order saga refuses it.',
  }),

  FX_RATES: Type.Union([Type.Literal('sample'), Type.Literal('database')], {
    default: 'sample',
    description:
      'Where quotes and settlement read exchange rates: `sample`, the ECB days kept in the repository (stale by design; ' +
      'development and tests), or `database`, the ECB days imported with `npm run fx -- import <file>` (production).',
  }),
  FX_ECB_DAILY_URL: Type.String({
    default: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
    pattern: '^https?://',
    description:
      "Where `npm run fx -- fetch` and the daily import schedule download the ECB's reference rates of the day.",
  }),
  FX_MAX_AGE_DAYS: Type.Integer({
    minimum: 1,
    maximum: 366,
    default: 5,
    description:
      'With FX_RATES=database: a quote or settlement is refused (503) when the newest imported day is older than this.',
  }),

  ORDER_REVIEW_TIMEOUT_SECONDS: Seconds(
    172_800,
    'How long an order held for compliance review or a customs correction waits for support.',
  ),
  ORDER_CAPTURE_DEADLINE_SECONDS: Seconds(
    518_400,
    'Capture within this time of authorising (card authorisations lapse after 7 days), else the order fails.',
  ),
  ORDER_DECLARATION_TIMEOUT_SECONDS: Seconds(
    3_600,
    'How long a customs declaration may stay pending at the broker.',
  ),
  ORDER_DELIVERY_TIMEOUT_SECONDS: Seconds(
    2_592_000,
    'After capture: an order not delivered within this time is flagged for support.',
  ),
  ORDER_TRACKING_POLL_SECONDS: Seconds(
    21_600,
    "After the label: when the carrier's tracking webhooks have been silent this long, its tracking list is read (webhooks can be lost).",
  ),
  ORDER_REFUND_WINDOW_SECONDS: Seconds(2_592_000, 'How long a delivered order stays open for refunds.'),
  ORDER_COMPENSATION_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 5,
    description: 'Attempts of a compensation (void, cancel, refund) before the order needs attention.',
  }),

  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description: 'PostgreSQL connection string. Unset: npm run dev and npm test start embedded PostgreSQL.',
    }),
  ),
  DATABASE_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 200,
    default: 10,
    description: 'Connections per process.',
  }),
  DATABASE_MIGRATE_ON_START: Type.Boolean({
    default: true,
    description: 'Apply pending migrations when the API or worker starts (safe with several processes).',
  }),
  EMBEDDED_POSTGRES_PORT: Port(54329, 'Port of the embedded PostgreSQL that npm run dev starts.'),
  DATA_DIR: Type.String({
    minLength: 1,
    default: '.data',
    description: 'Where npm run dev keeps PostgreSQL data, the Temporal SQLite file and dev keys.',
  }),

  TEMPORAL_ADDRESS: Type.Optional(
    Type.String({
      pattern: '^[^\\s:/]+:[0-9]{1,5}$',
      description: 'host:port of a Temporal frontend. Unset: npm run dev and npm test start a dev server.',
    }),
  ),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default', description: 'Temporal namespace.' }),
  ORDERS_TASK_QUEUE: Type.String({
    pattern: '^[A-Za-z0-9_.-]{1,200}$',
    default: 'orders',
    description:
      'Task queue of the order workflows and activities (the API starts them there, workers poll it).',
  }),
  TEMPORAL_API_KEY: Type.Optional(
    Type.String({ minLength: 1, description: 'API key for Temporal Cloud (turns TLS on).' }),
  ),
  TEMPORAL_TLS: Type.Boolean({ default: false, description: 'Connect to TEMPORAL_ADDRESS over TLS.' }),
  TEMPORAL_CLI_PATH: Type.Optional(
    Type.String({ minLength: 1, description: 'Path to a temporal CLI binary used to run the dev server.' }),
  ),
  TEMPORAL_DEV_PORT: Port(7233, 'Port of the Temporal dev server that npm run dev starts.'),
  TEMPORAL_UI_PORT: Port(8233, 'Port of the Temporal Web UI that npm run dev starts.'),
  TEMPORAL_PAYLOAD_KEYS: Type.String({
    // Checked in full (ids, 32-byte keys, the current id present) by loadConfig.
    minLength: 1,
    default: DEV_PAYLOAD_KEYS,
    description:
      'Keys that encrypt Temporal payloads (AES-256-GCM): comma-separated <id>:<base64 of 32 bytes>. Keep old keys listed while histories encrypted with them exist. The default is the published development key; production requires it set.',
  }),
  TEMPORAL_PAYLOAD_KEY_ID: Type.String({
    pattern: '^[A-Za-z0-9._-]{1,64}$',
    default: DEV_PAYLOAD_KEY_ID,
    description: 'Id (in TEMPORAL_PAYLOAD_KEYS) of the key new payloads are encrypted with.',
  }),
  TEMPORAL_UI_ORIGIN: Type.Optional(
    Type.String({
      pattern: '^\\s*https?://[^\\s,/]+(\\s*,\\s*https?://[^\\s,/]+)*\\s*$',
      description:
        'Origin(s) of the Temporal Web UI allowed to call the codec endpoint (/codec/decode, /codec/encode). Unset: http://localhost:<TEMPORAL_UI_PORT> and http://127.0.0.1:<TEMPORAL_UI_PORT> outside production, none in production.',
    }),
  ),
  TEMPORAL_UI_URL: Type.Optional(
    Type.String({
      pattern: '^\\s*https?://\\S+\\s*$',
      description:
        "Base URL of the Temporal Web UI the console links an order's workflow to. Unset: the first TEMPORAL_UI_ORIGIN, else http://localhost:<TEMPORAL_UI_PORT> outside production, no link in production.",
    }),
  ),
  BORDERLINE_CACHE_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Where built tools (temporal CLI, stripe-mock) are cached. Default ~/.cache/borderline.',
    }),
  ),

  STRIPE_SECRET_KEY: Type.String({
    pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9_]+$',
    default: 'sk_test_borderline_sandbox',
    description:
      'Stripe secret (or restricted) key. The default suits the local sandbox; production requires it set.',
  }),
  STRIPE_API_BASE: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/?#]+/?$',
      description:
        'URL of a Stripe-compatible API (the sandbox, stripe-mock). Unset: api.stripe.com, and npm run dev starts the sandbox.',
    }),
  ),
  STRIPE_WEBHOOK_SECRET: Type.String({
    pattern: '^whsec_[A-Za-z0-9_]+$',
    default: 'whsec_borderline_sandbox',
    description:
      'Signing secret of the Stripe webhook endpoint (whsec_...). The default suits the local sandbox; production requires it set.',
  }),
  STRIPE_SANDBOX_PORT: Port(12111, 'Port of the Stripe sandbox that npm run dev starts.'),

  CUSTOMS_BROKER_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s?#]+$',
      description:
        "Base URL of the customs broker's declaration API. Unset: npm run dev starts the customs broker sandbox.",
    }),
  ),
  CUSTOMS_BROKER_API_KEY: Type.String({
    pattern: '^\\S{8,}$',
    default: 'cb_test_borderline_sandbox',
    description: 'API key of the customs broker. The default is the local sandbox key.',
  }),
  CUSTOMS_SANDBOX_PORT: Port(12112, 'Port of the customs broker sandbox that npm run dev starts.'),
  CARRIER_API_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s?#]+$',
      description: "Base URL of the carrier's API. Unset: npm run dev starts the carrier sandbox.",
    }),
  ),
  CARRIER_API_KEY: Type.String({
    pattern: '^\\S{8,}$',
    default: 'ck_test_borderline_sandbox',
    description: 'API key of the carrier. The default is the local sandbox key.',
  }),
  CARRIER_WEBHOOK_SECRET: Type.String({
    pattern: '^\\S{16,}$',
    default: 'carrier_whsec_borderline_sandbox',
    description:
      'Secret the carrier signs tracking webhooks (POST /v1/webhooks/carrier) with. The default is the local sandbox secret.',
  }),
  CARRIER_SANDBOX_PORT: Port(12113, 'Port of the carrier sandbox that npm run dev starts.'),
});

export type Config = Static<typeof ConfigSchema>;
export type ConfigName = keyof Config;
