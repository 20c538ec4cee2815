// Broker's one door.
export { createBroker, type Broker, type BrokerConfig } from './broker.ts';
export { parseDeviceTopic, mayPublish, maySubscribe, devicePrefix } from './topics.ts';
