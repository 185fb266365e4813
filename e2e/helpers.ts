import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { ACTIONS, RULES } from '../playwright.config';
import { detourUrl, tenantUrl, type StackInstance } from './stack';

export { ACTIONS, RULES, detourUrl, tenantUrl };

export interface TenantCalls {
  writes: { method: string; path: string; body: Record<string, unknown> }[];
  tokenRequests: number;
  continues: { outcome: string }[];
}

export async function resetTenant(request: APIRequestContext, instance: StackInstance): Promise<void> {
  const response = await request.post(`${tenantUrl(instance)}/__reset`);
  expect(response.ok()).toBe(true);
}

export async function tenantCalls(request: APIRequestContext, instance: StackInstance): Promise<TenantCalls> {
  const response = await request.get(`${tenantUrl(instance)}/__calls`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as TenantCalls;
}

export async function injectFault(
  request: APIRequestContext,
  instance: StackInstance,
  fault: { target: 'users_patch' | 'oauth_token' | 'users_get'; mode: '429' | '500' | 'slow' | 'refused'; times: number; resetInSeconds?: number; delayMs?: number },
): Promise<void> {
  const response = await request.post(`${tenantUrl(instance)}/__faults`, { data: fault });
  expect(response.ok()).toBe(true);
}

export async function clearFaults(request: APIRequestContext, instance: StackInstance): Promise<void> {
  await request.delete(`${tenantUrl(instance)}/__faults`);
}

/** Logs in at the local tenant and returns the /start URL the Action sent the browser to. */
export async function loginAt(page: Page, instance: StackInstance, user: string): Promise<string> {
  let startUrl = '';
  const onRequest = (req: { url(): string }) => {
    if (req.url().startsWith(`${detourUrl(instance)}/start?`)) startUrl = req.url();
  };
  page.on('request', onRequest);
  await page.goto(`${tenantUrl(instance)}/`);
  await page.getByTestId(`login-${user}`).click();
  await page.waitForURL((url) => url.origin === detourUrl(instance) || url.origin === tenantUrl(instance));
  page.off('request', onRequest);
  return startUrl;
}
