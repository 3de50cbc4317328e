import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bound then released; the caller binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
}

/** Starts a built app (`dist/...js`) with the given environment; its output is kept for diagnostics. */
export function startApp(script: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Polls `check` until it returns a value or `timeoutMs` passes (for readiness of a separate process, which emits no event we can await). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err instanceof Error ? err : new Error(String(err));
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
}

/** The built demo seed command (apps/platform): seeds the demo tenant into the store `env` names, then exits. */
export const SEED_DEMO_SCRIPT = 'dist/apps/platform/src/seed-demo.js';

/**
 * Runs the demo seed command with `env` (as `start:stack` does with SEED_DEMO=true, before the
 * apps start) and resolves with its output once it exited 0; rejects with the output otherwise.
 */
export async function seedDemoStore(env: Record<string, string>): Promise<string> {
  const run = startApp(SEED_DEMO_SCRIPT, env);
  const code = await run.exited;
  if (code !== 0) throw new Error(`${SEED_DEMO_SCRIPT} exited ${code}:\n${run.output()}`);
  return run.output();
}
