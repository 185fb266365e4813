import { z } from 'zod';

/**
 * zod 4 compiles object parsers with `new Function` and, to learn whether it may, tries `new Function("")` the first
 * time an object schema is built. The caught error is harmless, but under our CSP (no 'unsafe-eval' in script-src)
 * the browser also reports a `securitypolicyviolation` on every profile and password page. In the browser zod
 * parses a handful of fields, so it runs without the compiled parsers; the server is not under CSP and keeps them.
 * Imported first by the client components that build zod schemas (components/profile-form.tsx and
 * components/password-form.tsx), so the setting is in place before any `z.object` in the page's bundle is built.
 */
if (typeof window !== 'undefined') z.config({ jitless: true });
