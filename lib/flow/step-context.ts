import 'server-only';
import type { ManagementApi } from '../auth0';
import type { DetourConfig } from '../config';
import type { RequestMeta } from '../http/respond';
import type { StepContext } from '../steps/types';
import type { Stores } from '../store';
import type { FlowState } from './flow-state';

/** What a step's `persist` and `prepare` are given: the flow, the configuration, the stores and who asked. */
export function stepContext(input: { flow: FlowState; config: DetourConfig; stores: Stores; managementApi: ManagementApi; meta: RequestMeta; now: Date }): StepContext {
  const { flow, config, stores, managementApi, meta, now } = input;
  return { flow, config, managementApi, consentLedger: stores.consentLedger, stores, request: { clientIp: meta.clientIp, userAgent: meta.userAgent }, now };
}
