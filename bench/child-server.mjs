// A fixture server (server.mjs, crawl-site.mjs) started as a child process, so
// its CPU and memory are its own and not charged to the runner measured
// against it. The protocol both servers speak: one JSON line on stdout once
// listening ({ port, base, ... }), then `{ type }` messages over IPC answered
// with a message of the same type (stats, reset); the server exits when its
// parent goes away.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const running = new Set(); // child processes not yet stopped

/**
 * Starts `node SCRIPT ...ARGS` and resolves once it listens, with what it
 * printed plus pid, stats(), reset() and stop().
 */
export async function startChildServer(script, args) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  running.add(child);
  const info = await new Promise((resolve, reject) => {
    // Generous: a server may pre-generate its pages before it says it listens.
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 180 s`)), 180_000);
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      clearTimeout(timer);
      rl.close();
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
  const ask = (type) =>
    new Promise((resolve) => {
      const onMsg = (m) => {
        if (m?.type === type) {
          child.off('message', onMsg);
          resolve(m);
        }
      };
      child.on('message', onMsg);
      child.send({ type });
    });
  return {
    ...info,
    pid: child.pid,
    stats: () => ask('stats'),
    reset: () => ask('reset'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 2_000);
        await exited;
        clearTimeout(t);
      }
      running.delete(child);
    },
  };
}

/** SIGKILLs every server still running; synchronous, for exit and signal handlers. */
export function killServers() {
  for (const child of running) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  running.clear();
}
