// @ts-check
const createNextIntlPlugin = require('next-intl/plugin');

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets two builds of one checkout live side by side (e.g. parallel test runs).
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // `next dev` would print every request URL, and /start's carries the session token (DESIGN rule 4).
  logging: { incomingRequests: false },
  reactStrictMode: true,
  // Native and worker-thread modules stay out of the server bundle.
  serverExternalPackages: ['better-sqlite3', 'pino', 'pg', 'ioredis'],
  experimental: {
    serverActions: {
      // A step form is a few fields; anything bigger is refused before it is parsed.
      bodySizeLimit: '64kb',
    },
  },
};

module.exports = withNextIntl(nextConfig);
