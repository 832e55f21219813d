/**
 * Stripe's test PaymentMethods (docs.stripe.com/testing): each names a card brand and what
 * happens when a payment is confirmed with it. Decline details follow what Stripe's test mode
 * answers (code, decline_code, param, advice_code), as recorded by runs against Stripe in
 * github.com/gburgyan/aat-stripe.
 */
export interface TestCard {
  brand: string;
  last4: string;
  country: string;
  funding: 'credit' | 'debit';
  outcome: CardOutcome;
}

export type CardOutcome =
  | { kind: 'approve' }
  | { kind: 'requires_action' }
  | {
      kind: 'decline';
      code: string;
      declineCode: string;
      message: string;
      param?: string;
      adviceCode?: string;
    };

const approve: CardOutcome = { kind: 'approve' };

function decline(
  code: string,
  declineCode: string,
  message: string,
  extra: { param?: string; adviceCode?: string } = {},
): CardOutcome {
  return { kind: 'decline', code, declineCode, message, ...extra };
}

const genericDecline = decline('card_declined', 'generic_decline', 'Your card was declined.', {
  adviceCode: 'try_again_later',
});
const insufficientFunds = decline(
  'card_declined',
  'insufficient_funds',
  'Your card has insufficient funds.',
  {
    adviceCode: 'try_again_later',
  },
);

const visa = (last4: string, outcome: CardOutcome): TestCard => ({
  brand: 'visa',
  last4,
  country: 'US',
  funding: 'credit',
  outcome,
});

export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: visa('4242', approve),
  pm_card_visa_debit: { ...visa('5556', approve), funding: 'debit' },
  pm_card_mastercard: {
    brand: 'mastercard',
    last4: '4444',
    country: 'US',
    funding: 'credit',
    outcome: approve,
  },
  pm_card_amex: { brand: 'amex', last4: '8431', country: 'US', funding: 'credit', outcome: approve },
  pm_card_chargeDeclined: visa('0002', genericDecline),
  pm_card_visa_chargeDeclined: visa('0002', genericDecline),
  pm_card_chargeDeclinedInsufficientFunds: visa('9995', insufficientFunds),
  pm_card_visa_chargeDeclinedInsufficientFunds: visa('9995', insufficientFunds),
  pm_card_chargeDeclinedLostCard: visa(
    '9987',
    decline('card_declined', 'lost_card', 'Your card was declined.', { adviceCode: 'do_not_try_again' }),
  ),
  pm_card_chargeDeclinedStolenCard: visa(
    '9979',
    decline('card_declined', 'stolen_card', 'Your card was declined.', { adviceCode: 'do_not_try_again' }),
  ),
  pm_card_chargeDeclinedExpiredCard: visa(
    '0069',
    decline('expired_card', 'expired_card', 'Your card has expired.', {
      param: 'exp_month',
      adviceCode: 'confirm_card_data',
    }),
  ),
  pm_card_chargeDeclinedIncorrectCvc: visa(
    '0127',
    decline('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect.", {
      param: 'cvc',
      adviceCode: 'confirm_card_data',
    }),
  ),
  pm_card_chargeDeclinedProcessingError: visa(
    '0119',
    decline(
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
      {
        adviceCode: 'try_again_later',
      },
    ),
  ),
  pm_card_chargeDeclinedFraudulent: visa(
    '0019',
    decline('card_declined', 'fraudulent', 'Your card was declined.'),
  ),
  pm_card_authenticationRequired: visa('3184', { kind: 'requires_action' }),
  pm_card_threeDSecure2Required: visa('3220', { kind: 'requires_action' }),
};

export function findTestCard(paymentMethodId: string): TestCard | undefined {
  return Object.prototype.hasOwnProperty.call(TEST_CARDS, paymentMethodId)
    ? TEST_CARDS[paymentMethodId]
    : undefined;
}
