export { HttpCustomsBroker, type CustomsBrokerConfig } from './http-customs-broker';
export { declarationFromWire, declarationRequestToWire } from './wire';
