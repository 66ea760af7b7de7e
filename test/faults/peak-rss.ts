/** Peak resident memory of a running child, read from /proc (Linux) until it exits. */
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

function hwmBytes(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resolves with the highest VmHWM seen while `child` ran (sampled every 10 ms). */
export function watchPeakRss(child: ChildProcess): Promise<number> {
  let peak = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const v = child.pid === undefined ? null : hwmBytes(child.pid);
      if (v !== null) peak = Math.max(peak, v);
    }, 10);
    child.on('exit', () => {
      clearInterval(timer);
      resolve(peak);
    });
  });
}

export const MB = 1024 * 1024;
