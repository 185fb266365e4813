/** The servers a benchmark run starts (each its own process, output to a log file) and stops again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { connect } from 'node:net';

export interface Started {
  name: string;
  child: ChildProcess;
}

/** `cwd`: the checkout whose build runs (another commit's worktree for a baseline); default this one. */
export function startProcess(name: string, args: string[], env: Record<string, string>, logFile: string, cwd?: string): Started {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', log, log],
  });
  child.on('exit', (code, signal) => {
    if (!stopping.has(child)) console.error(`[bench] ${name} exited early (${code ?? signal}); see ${logFile}`);
  });
  return { name, child };
}

const stopping = new WeakSet<ChildProcess>();

export async function stopProcess(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Refuses to start next to something already listening on a port (it would be measured instead). */
export async function assertPortsFree(ports: number[]): Promise<void> {
  for (const port of ports) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (listening) throw new Error(`port ${port} is already in use; stop what runs there or set BENCH_PORT_BASE`);
  }
}

/** Polls `url` until it answers 2xx (or gives up after `timeoutMs`). */
export async function waitUntilServing(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
