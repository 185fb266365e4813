// @ts-check
const { execSync } = require('node:child_process');

/** Instances built separately from one commit must agree on the build id (several instances, one site). */
function sharedBuildId() {
  if (process.env.DETOUR_BUILD_ID) return process.env.DETOUR_BUILD_ID;
  try {
    return execSync('git rev-parse --short=12 HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null; // not a git checkout (e.g. a Docker build context): Next picks a random id
  }
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets two builds of one checkout live side by side (e.g. parallel test runs).
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // A self-contained server (`node .next/standalone/server.js`) with only the files it needs: see Dockerfile and
  // docs/deploy.md. `npm start` runs `next start` on the same build: both answer every route through app/.
  output: 'standalone',
  // Trace from this folder, so the standalone tree is `server.js` at its top whatever sits above the checkout.
  outputFileTracingRoot: __dirname,
  generateBuildId: async () => sharedBuildId(),
  poweredByHeader: false,
  // `next dev` would print every request URL, and /start's carries the session token (DESIGN rule 4).
  logging: { incomingRequests: false },
  reactStrictMode: true,
  // Native and worker-thread modules stay out of the server bundle; prom-client too, so the one registry on
  // globalThis is built from one copy of its classes.
  serverExternalPackages: ['better-sqlite3', 'pino', 'pg', 'ioredis', 'prom-client'],
};

module.exports = nextConfig;
