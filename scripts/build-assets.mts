/**
 * What steps ship to the browser, built from their own folders (docs/design.md "Adding a step"): each
 * `lib/steps/<id>/enhance.ts` becomes the module script `public/assets/<id>.js` (what it imports with `import()` is
 * split into `public/assets/chunks/`, fetched only when used), each `lib/steps/<id>/styles.css` becomes
 * `public/assets/<id>.css`. Runs before `next build` and `next dev`; public/assets/ is generated, never committed.
 * `--watch` rebuilds on change (npm run dev).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, context, type BuildOptions } from 'esbuild';

const STEPS_DIR = 'lib/steps';
const OUT_DIR = 'public/assets';

const stepIds = readdirSync(STEPS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const scripts = stepIds.filter((id) => existsSync(path.join(STEPS_DIR, id, 'enhance.ts')));
const sheets = stepIds.filter((id) => existsSync(path.join(STEPS_DIR, id, 'styles.css')));

const common: BuildOptions = { bundle: true, minify: true, legalComments: 'none', logLevel: 'warning', outdir: OUT_DIR };
const builds: BuildOptions[] = [
  {
    ...common,
    entryPoints: Object.fromEntries(scripts.map((id) => [id, path.join(STEPS_DIR, id, 'enhance.ts')])),
    format: 'esm',
    splitting: true,
    platform: 'browser',
    // Phones a few years old: every browser that runs module scripts understands ES2020.
    target: 'es2020',
    chunkNames: 'chunks/[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
  },
  { ...common, entryPoints: Object.fromEntries(sheets.map((id) => [id, path.join(STEPS_DIR, id, 'styles.css')])), loader: { '.css': 'css' } },
];

rmSync(OUT_DIR, { recursive: true, force: true });
if (process.argv.includes('--watch')) {
  for (const options of builds) await (await context(options)).watch();
  console.log(`[assets] watching ${scripts.length} step scripts and ${sheets.length} stylesheets`);
} else {
  await Promise.all(builds.map((options) => build(options)));
  console.log(`[assets] built ${scripts.map((id) => `${id}.js`).concat(sheets.map((id) => `${id}.css`)).join(', ') || 'nothing'} into ${OUT_DIR}`);
}
