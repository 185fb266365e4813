/** Every page and redirect of a flow: nothing belongs in a shared or back-forward cache. */
export const NO_STORE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** 303 See Other to a path of Detour's own (after a form post, or where a flow stands), never cached. */
export function seeOther(path: string, appBaseUrl: string): Response {
  return new Response(null, { status: 303, headers: { ...NO_STORE_HEADERS, Location: new URL(path, appBaseUrl).toString() } });
}
