import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The three parts of undici a run uses, loaded from undici's own modules rather
 * than its index. The index loads every dispatcher, the mock agents, fetch, the
 * cache stores and the interceptors: 62 ms of start-up against 19 ms for these,
 * and start-up is on the path of every short cron run and of the first request
 * of every run. undici publishes no "exports" map, so these paths are reachable;
 * test/unit/fetch/undici.test.ts checks they are the very objects the index
 * exports. Should a later undici 7 (the dependency range) move one, the index
 * is used instead: slower to start, never broken.
 */
const require = createRequire(import.meta.url);

/** A part of undici from its own module, or from the index if that module is not there. */
export function part<T>(path: string, fromIndex: (index: typeof Undici) => T): T {
  try {
    return require(path) as T;
  } catch {
    return fromIndex(require('undici') as typeof Undici);
  }
}

export const Agent = part<typeof Undici.Agent>('undici/lib/dispatcher/agent.js', (u) => u.Agent);
export type Agent = Undici.Agent;

export const buildConnector = part<typeof Undici.buildConnector>('undici/lib/core/connect.js', (u) => u.buildConnector);

type ApiRequest = (this: Undici.Dispatcher, opts: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;
// The index sets the api onto Dispatcher.prototype, whose `request` is this function.
const apiRequest = part<ApiRequest>('undici/lib/api/api-request.js', (u) => u.Dispatcher.prototype.request as unknown as ApiRequest);

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Undici.Dispatcher };

/** Where a request goes: the parts of an absolute URL undici dispatches on. */
export interface RequestLocation {
  /** scheme://host[:port] */
  readonly origin: string;
  /** pathname and search */
  readonly path: string;
}

/**
 * undici's `request(url, { dispatcher, ... })`, as its index builds it for an
 * absolute URL, from parts already parsed (input/targets.ts) rather than a URL.
 */
export function request(to: RequestLocation, opts: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = opts;
  return apiRequest.call(dispatcher, { ...rest, origin: to.origin, path: to.path });
}
