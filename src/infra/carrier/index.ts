export { HttpCarrier, type CarrierConfig } from './http-carrier';
export {
  CARRIER_SIGNATURE_FIELD,
  CARRIER_WEBHOOK_TOLERANCE_SECONDS,
  carrierWebhookSignature,
  verifyCarrierWebhook,
  type CarrierSignatureProblem,
  type WebhookHeaders,
} from './webhooks';
export { createShipmentToWire, shipmentFromWire } from './wire';
export { CarrierEventStore, orderIdOfReference } from './carrier-events';
