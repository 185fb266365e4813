import type { ReactElement } from 'react';
// The edge build: route handlers resolve React with the `react-server` condition, under which `react-dom/server`
// (and `.node`) only throw; `server.edge` builds and renders (bench/rendering-spike.md).
import { renderToStaticMarkup } from 'react-dom/server.edge';
import { NO_STORE_HEADERS } from '../http/no-store';

/** A whole page as HTML: React writes no doctype for static markup, so it is prepended here. */
export function renderDocument(page: ReactElement): string {
  return `<!doctype html>${renderToStaticMarkup(page)}`;
}

/** A page answer: HTML, never stored by a cache (every page belongs to one person's sign-in). */
export function htmlResponse(page: ReactElement, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(renderDocument(page), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE_HEADERS, ...init.headers },
  });
}
