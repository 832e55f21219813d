import { screenOrder } from '../compliance';
import { computeLandedCost } from '../landed-cost';
import type { FxRateAnswer } from '../money';
import { inRequestTerms, requestFieldOf } from './fields';
import type { PreparedQuote } from './prepare';
import { type CarrierRates, quoteShipping } from './shipping';
import type { QuoteBreakdown, QuoteDraft, QuoteLine } from './types';

export interface BuildQuoteOptions {
  readonly fx: FxRateAnswer;
  readonly carrier: CarrierRates;
  /** How long the price lock holds. */
  readonly ttlSeconds: number;
}

/**
 * Computes a quote from a prepared request, pure: shipping options and the chosen service,
 * landed cost (duties, taxes, fees per line, regime, rules) with that shipping price, and the
 * compliance screening for the chosen transport mode. The result is the price lock the order
 * saga charges: `chargeNow` exactly, until `expiresAt`.
 */
export function buildQuote(prepared: PreparedQuote, options: BuildQuoteOptions): QuoteDraft {
  return inRequestTerms(() => {
    const { request, quoteTime, cart } = prepared;
    const { shipping, conversions: shippingConversions } = quoteShipping(
      prepared,
      options.carrier,
      options.fx.table,
    );

    const landed = computeLandedCost({
      lines: prepared.cartLines,
      shipFrom: { country: cart.shipFrom },
      shipTo: { country: cart.shipTo, ...(cart.region === null ? {} : { region: cart.region }) },
      incoterm: cart.incoterm,
      currency: cart.currency,
      shippingCost: shipping.chosen.price,
      quoteTime,
      fxRates: options.fx.table,
    });

    const screened = screenOrder({
      parties: [
        { role: 'buyer', name: request.buyer.name, address: request.buyer.address },
        { role: 'consignee', name: request.consignee.name, address: request.consignee.address },
      ],
      lines: request.lines.map((l) => ({
        hsCode: l.hsCode,
        description: l.description,
        quantity: l.quantity,
      })),
      destinationCountry: cart.shipTo,
      transportMode: shipping.chosen.transportMode,
      at: quoteTime,
    });
    // Reasons name the request's fields (buyer.name, shipTo.country), as errors do.
    const screening = {
      ...screened,
      reasons: screened.reasons.map((r) => ({ ...r, field: requestFieldOf(r.field) ?? r.field })),
      partyMatches: screened.partyMatches.map((m) => ({ ...m, field: requestFieldOf(m.field) ?? m.field })),
    };

    const lines: QuoteLine[] = landed.lines.map((line) => {
      const valid = cart.lines[line.index]!;
      return {
        index: line.index,
        sku: line.sku,
        description: valid.description,
        hsCode: line.hsCode,
        originCountry: line.originCountry,
        quantity: line.quantity,
        taxCategory: line.taxCategory,
        unitPrice: valid.unitPrice,
        goods: line.goods,
        shipping: line.shipping,
        duties: line.duties,
        taxes: line.taxes,
        fees: line.fees,
        landedTotal: line.landedTotal,
        chargeNow: line.chargeNow,
        dueOnDelivery: line.dueOnDelivery,
        customsValue: line.customsValue,
        dutyComponents: line.dutyComponents,
        taxComponents: line.taxComponents,
      };
    });

    const breakdown: QuoteBreakdown = {
      quoteTime: quoteTime.toISOString(),
      currency: landed.currency,
      incoterm: landed.incoterm,
      destination: landed.destination,
      regime: landed.regime,
      collection: landed.collection,
      lines,
      totals: landed.totals,
      destinationTotals: landed.destinationTotals,
      shipping,
      screening,
      rulesUsed: {
        landedCost: landed.rulesUsed,
        screening: screening.rulesUsed,
        shipping: [
          { id: options.carrier.zones.id, version: options.carrier.zones.version },
          shipping.chosen.rateCard,
        ],
      },
      fx: {
        reference: options.fx.reference,
        rates: options.fx.table.rates,
        conversions: [...shippingConversions, ...landed.fx.map((c) => ({ purpose: 'landed-cost', ...c }))],
      },
      notes: landed.notes,
    };

    return {
      merchantId: request.merchantId,
      currency: cart.currency,
      incoterm: cart.incoterm,
      shipFromCountry: cart.shipFrom,
      shipToCountry: cart.shipTo,
      chargeNow: landed.totals.chargeNow,
      dueOnDelivery: landed.totals.dueOnDelivery,
      screeningDecision: screening.decision,
      createdAt: quoteTime,
      expiresAt: new Date(quoteTime.getTime() + options.ttlSeconds * 1000),
      request,
      breakdown,
    };
  });
}
