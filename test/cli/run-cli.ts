import { spawn } from 'node:child_process';
import { PROCESS_FLAGS } from '../../src/v8-tuning.js';
import { ROOT } from '../helpers.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI's process, `node --import tsx src/cli/main.ts ...args`, from the repository
 * root, with the process flags its npm scripts give node.
 */
export function spawnCli(args: string[], options: { cacheDir: string; env?: Record<string, string> }) {
  return spawn(process.execPath, [...PROCESS_FLAGS, '--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      CACHE_DIR: options.cacheDir,
      LOG_LEVEL: 'warn',
      // Empty counts as unset (and keeps a local .env from setting it): extractive answers only,
      // from the default corpus folder.
      ANTHROPIC_API_KEY: '',
      CORPUS_DIR: '',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Run the real CLI to its end, with `input` on its stdin. */
export function runCli(args: string[], options: { input?: string; cacheDir: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
