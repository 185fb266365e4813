/**
 * Detour's production server (`npm start`, the Docker image): Next's request handler behind a fast lane that answers
 * the hot GETs of a login itself. Built into `<distDir>/detour-server.cjs` by scripts/build-server.mts; see
 * docs/deploy.md for why and for hosts that run Next without it (there the same routes answer through app/).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { getConfig } from './lib/config';
import { completeResponse } from './lib/flow/complete-response';
import { startResponse } from './lib/flow/start-response';
import { logger } from './lib/log';
import { createFastLane } from './lib/server/fast-lane';
import { startDetour } from './lib/startup';
import { termsPageResponse } from './lib/steps/terms/page-response';

async function main(): Promise<void> {
  Object.assign(process.env, { NODE_ENV: 'production' });
  // A bad environment or steps file stops here, with one message naming every problem (as `next start` would).
  await startDetour();

  const dir = process.cwd();
  // The build folder this bundle was made from (scripts/build-server.mts), also inside a standalone copy of it.
  const distDir = process.env.NEXT_DIST_DIR || process.env.DETOUR_BUILT_DIST_DIR || '.next';
  // The build's own resolved config, as Next's standalone server.js uses it: next.config.js is not evaluated again.
  const { config: conf } = JSON.parse(readFileSync(path.join(dir, distDir, 'required-server-files.json'), 'utf8')) as { config: Record<string, unknown> };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(conf);
  const port = Number(process.env.PORT) || 3000;
  const hostname = process.env.HOSTNAME || '0.0.0.0';
  const app = next({ dev: false, dir, hostname, port, conf: conf as never });
  const handle = app.getRequestHandler();
  await app.prepare();

  const fastLane = createFastLane({
    routes: { '/start': startResponse, '/steps/terms': termsPageResponse, '/complete': completeResponse },
    config: getConfig,
  });
  const server = createServer((req, res) => {
    if (fastLane(req, res)) return;
    void handle(req, res);
  });
  const keepAlive = Number(process.env.KEEP_ALIVE_TIMEOUT);
  if (Number.isFinite(keepAlive) && keepAlive > 0) server.keepAliveTimeout = keepAlive;
  server.listen(port, hostname, () => logger.info({ event: 'server_listening', port, hostname }, `Detour listening on http://${hostname}:${port}`));

  const stop = (signal: string) => {
    logger.info({ event: 'server_stopping', signal }, 'server_stopping');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`Detour cannot start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
