/**
 * Run first by `npm run test:e2e`: without a browser every Playwright test fails on its own, after a full build,
 * each saying "run npx playwright install". One check and one message instead, naming every way to get one.
 */
import { findChromium, missingChromiumMessage } from '../e2e/chromium';

const found = findChromium();
if (found.source === 'none') {
  console.error(missingChromiumMessage(found.problem));
  process.exit(1);
}
console.log(`e2e: Chromium from ${found.source}: ${found.path}`);
