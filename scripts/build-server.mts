/**
 * Bundles server.ts (the fast lane in front of Next) into `<distDir>/detour-server.cjs`, and into the standalone tree
 * when the build made one, so `node detour-server.cjs` runs from either without TypeScript or a dev dependency.
 * Packages Next keeps out of its own bundle (native modules, worker threads, the one metrics registry) stay external
 * here too and are loaded from node_modules, as Next loads them.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
const nextConfig = require('../next.config.js') as { serverExternalPackages?: string[] };
const distDir = process.env.NEXT_DIST_DIR || '.next';
if (!existsSync(path.join(distDir, 'required-server-files.json'))) {
  throw new Error(`no Next build in ${distDir}: run next build first`);
}

// `server-only` throws outside React's server condition; everything it guards is server code here anyway.
const serverOnly: Plugin = {
  name: 'server-only',
  setup(context) {
    context.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
    context.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
  },
};

const outputs = [path.join(distDir, 'detour-server.cjs')];
if (existsSync(path.join(distDir, 'standalone', 'server.js'))) outputs.push(path.join(distDir, 'standalone', 'detour-server.cjs'));

for (const outfile of outputs) {
  await build({
    entryPoints: ['server.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    external: ['next', 'next/*', ...(nextConfig.serverExternalPackages ?? [])],
    plugins: [serverOnly],
    // A standalone copy keeps the build folder's name (NEXT_DIST_DIR at build time), which the server must find.
    define: { 'process.env.DETOUR_BUILT_DIST_DIR': JSON.stringify(distDir) },
  });
  console.log(`built ${outfile}`);
}
