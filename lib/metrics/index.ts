export { getMetrics, createMetrics, type DetourMetrics } from './registry';
export { countFlowEvent, registerKnownSteps } from './flow-events';
export { observedFetch, observedManagementLogger } from './management-api';
export { instrumentStores, storeBackends, type StoreBackends } from './stores';
export { metricsResponse } from './endpoint';
