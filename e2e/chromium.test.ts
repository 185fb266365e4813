import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findChromium, missingChromiumMessage, SYSTEM_CHROMIUM, type ChromiumLookup } from './chromium';

const BUNDLED = '/root/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';
const MY_CHROME = '/opt/google/chrome/chrome';

describe('findChromium', () => {
  it.each<[string, { env?: string; bundled?: string; present: string[] }, ChromiumLookup]>([
    ['CHROMIUM_PATH first, when it exists', { env: MY_CHROME, bundled: BUNDLED, present: [MY_CHROME, BUNDLED, SYSTEM_CHROMIUM] }, { source: 'CHROMIUM_PATH', path: MY_CHROME }],
    [
      'a CHROMIUM_PATH that points at nothing, even with other browsers present',
      { env: '/nonexistent', bundled: BUNDLED, present: [BUNDLED, SYSTEM_CHROMIUM] },
      { source: 'none', problem: 'CHROMIUM_PATH is "/nonexistent", and there is no file there.' },
    ],
    ["Playwright's own browser when installed", { bundled: BUNDLED, present: [BUNDLED, SYSTEM_CHROMIUM] }, { source: 'playwright', path: BUNDLED }],
    ["the system's when Playwright's is registered but not installed", { bundled: BUNDLED, present: [SYSTEM_CHROMIUM] }, { source: 'system', path: SYSTEM_CHROMIUM }],
    ["the system's when Playwright has none for this platform", { present: [SYSTEM_CHROMIUM] }, { source: 'system', path: SYSTEM_CHROMIUM }],
    ['none at all', { bundled: BUNDLED, present: [] }, { source: 'none', problem: `Playwright's own Chromium is not installed, there is no ${SYSTEM_CHROMIUM}, and CHROMIUM_PATH is not set.` }],
  ])('%s', (_, machine, expected) => {
    const found = findChromium({
      chromiumPathEnv: machine.env,
      exists: (path) => machine.present.includes(path),
      playwrightBrowserPath: () => machine.bundled,
    });
    expect(found).toEqual(expected);
  });
});

describe('missingChromiumMessage', () => {
  it.each(['npx playwright install chromium', 'apt-get install chromium', SYSTEM_CHROMIUM, 'CHROMIUM_PATH=/path/to/chrome'])('names %s', (way) => {
    expect(missingChromiumMessage('nothing here.')).toContain(way);
  });
});

describe('scripts/check-browser.mts', () => {
  it('stops with one message when CHROMIUM_PATH points at nothing', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/check-browser.mts'], { env: { ...process.env, CHROMIUM_PATH: '/nonexistent' } });
    const failure = await run.then(
      () => null,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect(failure?.stderr).toBe(`${missingChromiumMessage('CHROMIUM_PATH is "/nonexistent", and there is no file there.')}\n`);
  }, 20_000); // node + tsx + Playwright's module load: a couple of seconds, more on a busy machine
});
