/** Every page and redirect of a flow: nothing belongs in a shared or back-forward cache. */
export const NO_STORE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;
