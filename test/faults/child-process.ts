import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Starts a TypeScript script of this repository in its own Node process (as the API or worker would run),
 * with these environment variables on top of this process's.
 */
export function startScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      path.join(ROOT, script),
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Resolves with the lines printed so far once `enough` holds for a new line; rejects if the child exits first or on timeout. */
export function waitForOutput(
  child: ChildProcess,
  enough: (line: string, lines: string[]) => boolean,
  timeoutMs = 30_000,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`child did not get there in ${timeoutMs} ms; stderr: ${stderr}`)),
      timeoutMs,
    );
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      if (parts.some((line) => enough(line, lines))) {
        clearTimeout(timer);
        resolve(lines);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} early; stderr: ${stderr}`));
    });
  });
}

/** SIGKILL: no cleanup handlers, no flush — a power-cut-like stop of the process. */
export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
