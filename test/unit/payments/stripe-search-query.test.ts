import { searchString } from '../../../src/infra/payments/stripe-payments';
import { StripeApiError } from '../../../src/sandboxes/stripe/errors';
import { parseQuery } from '../../../src/sandboxes/stripe/search';

describe('Stripe search query strings (adapter) and their reading (sandbox)', () => {
  it('quotes a value, escaping quotes and backslashes', () => {
    expect(searchString('ord-1')).toBe("'ord-1'");
    expect(searchString("o'b\\c")).toBe("'o\\'b\\\\c'");
  });

  it.each(['ord-1', "o'b", 'a\\b', "it's AND that", ''])('the sandbox reads back %j', (value) => {
    expect(parseQuery(`metadata['order_id']:${searchString(value)}`)).toEqual([{ key: 'order_id', value }]);
  });

  it('reads clauses joined by AND', () => {
    expect(parseQuery("metadata['a']:'1' AND metadata['b']:'2'")).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
  });

  it.each([
    "status:'succeeded'",
    "metadata['a']:'1' OR metadata['b']:'2'",
    "metadata['a']:'1' AND status:'canceled'",
    "-metadata['a']:'1'",
    "metadata['a']~'1'",
    "metadata['a']:1",
    '',
  ])('refuses %j with a Stripe-shaped invalid_request_error on param query', (query) => {
    let error: unknown;
    try {
      parseQuery(query);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StripeApiError);
    expect((error as StripeApiError).status).toBe(400);
    expect((error as StripeApiError).body).toMatchObject({ type: 'invalid_request_error', param: 'query' });
  });
});
