import { describe, expect, it } from 'vitest';
import { countFlowEvent, registerKnownSteps } from './flow-events';
import { createMetrics } from './registry';

async function flowEvents(metrics: ReturnType<typeof createMetrics>) {
  const metric = await metrics.flowEvents.get();
  return metric.values.map((value) => ({ ...value.labels, count: value.value }));
}

describe('countFlowEvent', () => {
  it('counts flows started, steps completed and refusals by step and code', async () => {
    const metrics = createMetrics({ processMetrics: false });
    registerKnownSteps(['terms', 'profile'], metrics);
    countFlowEvent('flow_started', { step: 'start' }, metrics);
    countFlowEvent('flow_started', { step: 'start' }, metrics);
    countFlowEvent('step_completed', { step: 'terms' }, metrics);
    countFlowEvent('step_refused', { step: 'profile', code: 'validation_failed' }, metrics);
    countFlowEvent('flow_refused', { route: '/start', code: 'token_replayed' }, metrics);
    countFlowEvent('flow_refused', { route: '/steps/terms', code: 'origin_rejected' }, metrics);
    countFlowEvent('flow_completed', { step: 'complete' }, metrics);
    expect(await flowEvents(metrics)).toEqual(
      expect.arrayContaining([
        { event: 'flow_started', step: 'start', code: '', count: 2 },
        { event: 'step_completed', step: 'terms', code: '', count: 1 },
        { event: 'step_refused', step: 'profile', code: 'validation_failed', count: 1 },
        { event: 'flow_refused', step: 'start', code: 'token_replayed', count: 1 },
        { event: 'flow_refused', step: 'terms', code: 'origin_rejected', count: 1 },
        { event: 'flow_completed', step: 'complete', code: '', count: 1 },
      ]),
    );
  });

  it('never lets a path, sub or token become a label value', async () => {
    const metrics = createMetrics({ processMetrics: false });
    registerKnownSteps(['terms'], metrics);
    const secret = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdXRoMHxhbGljZSJ9.c2ln';
    countFlowEvent('flow_refused', { route: `/steps/${secret}`, code: 'flow_missing' }, metrics);
    countFlowEvent('flow_refused', { route: `/x?session_token=${secret}`, code: 'invalid_request' }, metrics);
    countFlowEvent('step_refused', { step: 'auth0|alice', code: 'alice@example.com' }, metrics);
    const text = await metrics.registry.metrics();
    for (const leak of [secret, 'auth0|alice', 'alice@example.com', 'session_token']) expect(text).not.toContain(leak);
    expect(await flowEvents(metrics)).toEqual(
      expect.arrayContaining([
        { event: 'flow_refused', step: 'other', code: 'flow_missing', count: 1 },
        { event: 'step_refused', step: 'other', code: 'other', count: 1 },
      ]),
    );
  });

  it('labels steps as other until start-up has registered the step ids', async () => {
    const metrics = createMetrics({ processMetrics: false });
    countFlowEvent('step_completed', { step: 'terms' }, metrics);
    expect(await flowEvents(metrics)).toEqual([{ event: 'step_completed', step: 'other', code: '', count: 1 }]);
  });
});
