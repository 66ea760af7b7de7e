// Runs one child process and measures it: wall time (taken here, around spawn
// to exit), CPU seconds (user + sys) and peak RSS.
//
// Two ways to get CPU and peak RSS, chosen once by detectMethod():
//  - 'time': GNU /usr/bin/time -f '%e %U %S %M' -o FILE. Counts the process
//    and any child processes it waited for; runs the command line unchanged.
//  - 'hook': only for `node ...` commands, used when /usr/bin/time is missing
//    or not GNU: `node --import bench/rusage-hook.mjs ...`, which writes
//    process.resourceUsage() (all threads of that process) at exit.
//
// Every child runs in its own process group with a time limit; past it the
// whole group gets SIGKILL. killAll() ends every group still running (the
// orchestrator calls it on exit and on SIGINT/SIGTERM).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./rusage-hook.mjs', import.meta.url));
const TIME = '/usr/bin/time';
const running = new Set(); // pids (= process group ids) of children still running

/** 'time' when GNU time works here, else 'hook'. */
export function detectMethod(workDir) {
  if (!existsSync(TIME)) return 'hook';
  const probe = join(workDir, 'time-probe.txt');
  const r = spawnSync(TIME, ['-o', probe, '-f', '%e %U %S %M', process.execPath, '-e', '0'], {
    stdio: 'ignore',
    timeout: 10_000,
  });
  try {
    const parsed = r.status === 0 && existsSync(probe) ? parseTime(readFileSync(probe, 'utf8')) : null;
    return parsed && parsed.maxRssKB > 1000 ? 'time' : 'hook';
  } finally {
    rmSync(probe, { force: true });
  }
}

function parseTime(text) {
  // GNU time may put "Command exited with non-zero status N" (or "Command
  // terminated by signal N") before the formatted line.
  const lines = text.trim().split('\n');
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(lines[lines.length - 1]?.trim() ?? '');
  if (!m) return null;
  return { userS: Number(m[2]), sysS: Number(m[3]), maxRssKB: Number(m[4]) };
}

function parseHook(text) {
  const j = JSON.parse(text);
  return { userS: j.userS, sysS: j.sysS, maxRssKB: j.maxRssKB };
}

export function tail(file, bytes = 1500) {
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(bytes, size));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * @param {string[]} argv command and arguments; argv[0] === 'node' means this Node binary
 * @param {{ cwd?: string, env?: object, timeoutMs: number, stdout?: string, stderr?: string,
 *   method?: 'time'|'hook'|'none', rusageFile?: string }} o
 * @returns {Promise<{ ok: boolean, code: number|null, signal: string|null, timedOut: boolean,
 *   wallMs: number, cpuS: number|null, userS: number|null, sysS: number|null, maxRssMB: number|null,
 *   error?: string }>}
 */
export function measure(argv, o) {
  const method = o.method ?? 'none';
  let [cmd, ...args] = argv;
  if (cmd === 'node') cmd = process.execPath;
  const rusageFile = o.rusageFile;
  const env = { ...process.env, ...o.env };
  if (method === 'time') {
    rmSync(rusageFile, { force: true });
    args = ['-o', rusageFile, '-f', '%e %U %S %M', cmd, ...args];
    cmd = TIME;
  } else if (method === 'hook') {
    if (cmd !== process.execPath) throw new Error('the rusage hook only measures node commands');
    rmSync(rusageFile, { force: true });
    args = ['--import', HOOK, ...args];
    env.BENCH_RUSAGE_FILE = rusageFile;
  }
  const outFd = openSync(o.stdout ?? '/dev/null', 'w');
  const errFd = openSync(o.stderr ?? '/dev/null', 'w');
  return new Promise((resolve) => {
    let timedOut = false;
    let timer;
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: o.cwd, env, stdio: ['ignore', outFd, errFd], detached: true });
    const finish = (code, signal, error) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      running.delete(child.pid);
      closeSync(outFd);
      closeSync(errFd);
      let usage = null;
      if (method !== 'none') {
        try {
          const text = readFileSync(rusageFile, 'utf8');
          usage = method === 'time' ? parseTime(text) : parseHook(text);
        } catch {
          usage = null;
        }
      }
      // GNU time exits with the command's status, or 128+N when it was killed by signal N.
      const ok = !timedOut && !error && code === 0;
      resolve({
        ok,
        code,
        signal,
        timedOut,
        wallMs,
        userS: usage?.userS ?? null,
        sysS: usage?.sysS ?? null,
        cpuS: usage ? usage.userS + usage.sysS : null,
        maxRssMB: usage ? usage.maxRssKB / 1024 : null,
        error: error ? String(error.message ?? error) : timedOut ? `timed out after ${o.timeoutMs} ms` : undefined,
      });
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('exit', (code, signal) => finish(code, signal));
    if (child.pid) {
      running.add(child.pid);
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, o.timeoutMs);
    }
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** SIGKILL every child process group started by measure() that is still running. */
export function killAll() {
  for (const pid of running) killGroup(pid);
  running.clear();
}

function cpuTimes() {
  // First line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  return { idle, total: f.reduce((a, b) => a + b, 0) };
}

/**
 * Waits until the machine's CPUs were at least `minIdle` idle over a `windowMs`
 * window (the bench itself is idle between runs, so what is busy is other
 * work), for at most `maxWaitMs`. Returns { idle, waitedMs, quiet }.
 * Where /proc/stat is missing it returns at once with idle = null.
 */
export async function waitForQuiet({ minIdle = 0.8, windowMs = 500, maxWaitMs = 15_000 } = {}) {
  if (!existsSync('/proc/stat')) return { idle: null, waitedMs: 0, quiet: true };
  const t0 = performance.now();
  for (;;) {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, windowMs));
    const b = cpuTimes();
    const idle = b.total > a.total ? (b.idle - a.idle) / (b.total - a.total) : 1;
    const waitedMs = performance.now() - t0;
    if (idle >= minIdle) return { idle, waitedMs, quiet: true };
    if (waitedMs >= maxWaitMs) return { idle, waitedMs, quiet: false };
  }
}

let clkTck = null;
function ticksPerSecond() {
  if (clkTck === null) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 });
    clkTck = Number(r.stdout?.trim()) || 100;
  }
  return clkTck;
}

function procCpuTicks(pid) {
  try {
    // Fields after the ")" of the command name: utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/**
 * Measures how much CPU the rest of the machine used while a run was going:
 * start() before the run, then stop(runnerCpuS) after it returns the CPU
 * seconds used by anything other than the runner, the listed processes (the
 * fixture server) and this process, or null where /proc is missing.
 */
export function foreignCpu(pids = []) {
  if (!existsSync('/proc/stat')) return { stop: () => null };
  const hz = ticksPerSecond();
  const busy = () => {
    const t = cpuTimes();
    return t.total - t.idle;
  };
  const sys0 = busy();
  const own0 = pids.reduce((a, p) => a + procCpuTicks(p), 0);
  const self0 = process.cpuUsage();
  return {
    stop(runnerCpuS) {
      const sys = (busy() - sys0) / hz;
      const own = (pids.reduce((a, p) => a + procCpuTicks(p), 0) - own0) / hz;
      const self = process.cpuUsage(self0);
      return Math.max(0, sys - own - (self.user + self.system) / 1e6 - (runnerCpuS ?? 0));
    },
  };
}
