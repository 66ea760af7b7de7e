import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The three parts of undici a run uses, loaded from undici's own modules rather
 * than its index. The index loads every dispatcher, the mock agents, fetch, the
 * cache stores and the interceptors: 62 ms of start-up against 19 ms for these,
 * and start-up is on the path of every short cron run and of the first request
 * of every run. undici publishes no "exports" map, so these paths are reachable;
 * test/unit/fetch/undici.test.ts checks they are the very objects the index
 * exports, so an upgrade that moves them fails the tests instead of a run.
 */
const require = createRequire(import.meta.url);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export type Agent = Undici.Agent;

export const buildConnector = require('undici/lib/core/connect.js') as typeof Undici.buildConnector;

const apiRequest = require('undici/lib/api/api-request.js') as (
  this: Undici.Dispatcher,
  opts: Undici.Dispatcher.RequestOptions,
) => Promise<Undici.Dispatcher.ResponseData>;

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Undici.Dispatcher };

/** undici's `request(url, { dispatcher, ... })`, as its index builds it for an absolute URL. */
export function request(url: URL, opts: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = opts;
  return apiRequest.call(dispatcher, {
    ...rest,
    origin: url.origin,
    path: url.search ? `${url.pathname}${url.search}` : url.pathname,
  });
}
