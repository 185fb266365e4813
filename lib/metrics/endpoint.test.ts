import { describe, expect, it } from 'vitest';
import { metricsResponse } from './endpoint';
import { countFlowEvent } from './flow-events';
import { createMetrics } from './registry';

const TOKEN = 'metrics-bearer-token-0123456789abcdef';

describe('GET /api/metrics', () => {
  const metrics = createMetrics();
  countFlowEvent('flow_started', { step: 'start' }, metrics);

  it('answers 404 when METRICS_TOKEN is not set, whatever is sent', async () => {
    for (const authorization of [null, `Bearer ${TOKEN}`]) {
      const response = await metricsResponse(authorization, null, metrics);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('detour_');
    }
  });

  it.each([
    ['no Authorization', null],
    ['another token', 'Bearer metrics-bearer-token-0123456789abcdeX'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token without the scheme', TOKEN],
    ['Basic credentials', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
  ])('answers 401 for %s', async (_, authorization) => {
    const response = await metricsResponse(authorization, TOKEN, metrics);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).not.toContain('detour_');
  });

  it('answers the Prometheus text format for the right Bearer token', async () => {
    const response = await metricsResponse(`Bearer ${TOKEN}`, TOKEN, metrics);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).toContain('# TYPE detour_flow_events_total counter');
    expect(text).toContain('detour_flow_events_total{event="flow_started",step="start",code=""} 1');
    expect(text).toContain('process_cpu_seconds_total');
  });
});
