import type { ChildProcess } from 'child_process';
import { spawn, spawnSync } from 'child_process';
import { accessSync, constants, statSync } from 'fs';
import { createServer } from 'net';
import * as path from 'path';
import { PYTHON_TOOLS_INSTALL_COMMAND, pythonTool } from './python-tools';

/** A running moto_server. */
export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const INSTALL_HINT = `moto_server is not installed. Run npm test, which installs the pinned Python tools, or: ${PYTHON_TOOLS_INSTALL_COMMAND}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The executable `command` names: itself when it is a path, else the first match on PATH. */
function executable(command: string): string | undefined {
  const candidates = command.includes(path.sep)
    ? [command]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * moto_server of the project's .venv/ when present, else the one on PATH, else `python3 -m moto.server`.
 * The script is located, not run: starting Python to ask it for --help costs a second.
 */
function motoCommand(): [string, string[]] {
  const server = executable(pythonTool('moto_server'));
  if (server) return [server, []];
  const python = pythonTool('python3');
  if (spawnSync(python, ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0)
    return [python, ['-m', 'moto.server']];
  throw new Error(INSTALL_HINT);
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Starts moto_server on a free 127.0.0.1 port; stop it with `stop()` (kills by PID).
 * @param timeoutMs how long to wait for it to answer: Python imports moto in a few seconds on an idle machine, far
 *   longer on a loaded one.
 * @param accountId the account every request acts in (moto's MOTO_ACCOUNT_ID); @default moto's own, 123456789012
 */
export async function startMoto(timeoutMs = 120_000, accountId?: string): Promise<MotoServer> {
  const [command, prefix] = motoCommand();
  const port = await freePort();
  const child = spawn(command, [...prefix, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    env: {
      ...process.env,
      MOTO_ALLOW_NONEXISTENT_REGION: 'true',
      ...(accountId ? { MOTO_ACCOUNT_ID: accountId } : {}),
    },
  });
  if (child.pid === undefined) throw new Error(INSTALL_HINT);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child, timeoutMs);
  } catch (error) {
    process.kill(child.pid, 'SIGKILL');
    throw error;
  }
  const pid = child.pid;
  return {
    endpoint,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(pid, 'SIGTERM');
      }),
  };
}

/** Fake credentials for the emulator, so no real credentials are ever looked up. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };
