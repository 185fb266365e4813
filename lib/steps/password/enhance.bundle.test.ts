import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The page's first-load script, built as scripts/build-assets.mts builds it (in memory). */
const result = await build({
  entryPoints: { password: path.join(__dirname, 'enhance.ts') },
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: true,
  platform: 'browser',
  target: 'es2020',
  outdir: '/virtual/assets',
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint?.endsWith('enhance.ts'))!;
const [entryPath, entryOutput] = entry;
const entryFile = result.outputFiles.find((file) => file.path.endsWith(entryPath.replace(/^.*?assets/, '')))!;

describe('the password page’s script (enhance.ts)', () => {
  it('loads nothing else at start, and stays under 30 KB compressed', () => {
    expect(entryOutput.imports.filter((imported) => imported.kind === 'import-statement')).toEqual([]);
    expect(gzipSync(entryFile.contents).length).toBeLessThan(30_000);
  });

  it('holds no zod, React or zxcvbn: the rules come from the plain modules', () => {
    const inputs = Object.keys(entryOutput.inputs);
    expect(inputs.filter((input) => /node_modules|schema\.ts|strength\.ts/.test(input))).toEqual([]);
  });

  it('fetches zxcvbn and its dictionaries as chunks of their own, on use', () => {
    const lazy = entryOutput.imports.filter((imported) => imported.kind === 'dynamic-import').map((imported) => imported.path);
    expect(lazy).toHaveLength(1);
    expect(lazy[0]).toMatch(/chunks\/strength-/);
  });
});
