import type { IncomingMessage } from 'node:http';
import { invalidRequest } from './errors';

/**
 * Stripe's authentication: the secret key as a Bearer token (stripe-node) or as the Basic auth
 * user name (curl -u sk_test_...:). Errors as Stripe words them, with the key masked.
 */
export function authenticate(req: IncomingMessage, acceptsKey: (key: string) => boolean): string {
  const header = req.headers.authorization;
  let key: string | undefined;
  if (header?.startsWith('Bearer ')) key = header.slice('Bearer '.length).trim();
  else if (header?.startsWith('Basic ')) {
    key = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':')[0];
  }
  if (!key) {
    throw invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      { status: 401 },
    );
  }
  if (!acceptsKey(key)) {
    throw invalidRequest(`Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(8)}${key.slice(-4)}`, {
      status: 401,
    });
  }
  return key;
}
