import type { Frontier } from '../schedule/frontier.js';
import { sourceOf } from '../schedule/window.js';
import type { Target } from './targets.js';

/**
 * The input list as the scheduler's frontier (schedule/frontier.ts): its
 * targets in order, read only as the window makes room, and nothing added, so
 * a finished target needs no bookkeeping. `onEnd` hears how many targets there
 * were once the list has ended (not when a stop cut it short).
 */
export function listFrontier(targets: AsyncIterable<Target>, onEnd?: (total: number) => void): Frontier {
  return { ...sourceOf(targets, onEnd), done() {} };
}
