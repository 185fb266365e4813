/**
 * Another commit built next to this checkout, to measure against in the same run (BENCH_BASELINE): a temporary git
 * worktree under the OS temp dir, node_modules hard-link copied from this checkout (no download; Turbopack refuses a
 * node_modules symlinked from outside its root), built as `npm run build` builds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BaselineCheckout {
  /** The worktree's root. */
  root: string;
  /** The commit, abbreviated, as the tables label it. */
  shortRev: string;
  /** Its build, relative to root. */
  distDir: string;
  remove: () => void;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (${result.status ?? result.signal})`);
  return result.stdout.trim();
}

/** Checks out and builds `rev`; call remove() when done, also on failure (it is safe to call twice). */
export function prepareBaseline(rev: string, repoRoot: string): BaselineCheckout {
  const shortRev = run('git', ['rev-parse', '--short', `${rev}^{commit}`], repoRoot);
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'detour-baseline-')), shortRev);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    spawnSync('git', ['worktree', 'remove', '--force', root], { cwd: repoRoot, stdio: 'ignore' });
    spawnSync('git', ['worktree', 'prune'], { cwd: repoRoot, stdio: 'ignore' });
    rmSync(path.dirname(root), { recursive: true, force: true });
  };
  try {
    console.log(`[bench] baseline ${shortRev}: worktree in ${root}`);
    run('git', ['worktree', 'add', '--detach', root, shortRev], repoRoot);
    if (readFileSync(path.join(root, 'package-lock.json'), 'utf8') === readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) {
      // The same dependencies: hard links to this checkout's node_modules, instantly.
      run('cp', ['-al', path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules')], repoRoot);
    } else {
      // Other dependencies (a package added or removed since): that commit's own lock, installed as CI would.
      console.log(`[bench] baseline ${shortRev}: its package-lock.json differs, npm ci`);
      const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      if (install.status !== 0) throw new Error(`baseline ${shortRev}: npm ci failed`);
    }
    // Its own default dist dir: the worktree is thrown away, so next build may rewrite its tsconfig.json freely.
    const distDir = '.next';
    const env = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' };
    const startedAt = Date.now();
    // That commit's own `npm run build`, whatever it does (before the one serving path it also bundled server.ts).
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error(`baseline ${shortRev}: npm run build failed`);
    console.log(`[bench] baseline ${shortRev}: built in ${Math.round((Date.now() - startedAt) / 1000)} s`);
    return { root, shortRev, distDir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
