import { performance } from 'node:perf_hooks';

/** Time, passed in so tests can drive it. `now` is epoch ms for records; `monotonic` is for durations. */
export interface Clock {
  now(): number;
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
