import { createServer } from 'node:http';
import * as undiciIndex from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { Agent, buildConnector, part, request } from '../../src/fetch/undici.js';
import { listenOnLoopback } from '../helpers/server.js';

// src/fetch/undici.ts loads undici's own modules instead of its index, for start-up
// time. These tests are the guard for an undici upgrade that moves or changes them.
describe('undici parts loaded without its index', () => {
  it('are the very objects the index exports', () => {
    expect(Agent).toBe(undiciIndex.Agent);
    expect(buildConnector).toBe(undiciIndex.buildConnector);
    // request's fallback is the index's Dispatcher.prototype.request: the same function.
    const require = createRequire(import.meta.url);
    expect(require('undici/lib/api/api-request.js')).toBe(undiciIndex.Dispatcher.prototype.request);
  });

  it('falls back to the index when a module has moved', () => {
    expect(part('undici/lib/no-such-module.js', (u) => u.Agent)).toBe(undiciIndex.Agent);
  });

  describe('request', () => {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-seen': `${req.method} ${req.url} ${req.headers['x-probe'] ?? ''}` });
      res.end('hello');
    });
    let origin = '';
    beforeAll(async () => {
      origin = (await listenOnLoopback(server)).origin;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends method, path with query, and headers through the given dispatcher', async () => {
      const agent = new Agent({ connections: 1 });
      try {
        const res = await request({ origin, path: '/a/b?x=1&y=2' }, { dispatcher: agent, method: 'GET', headers: { 'x-probe': 'p' } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-seen']).toBe('GET /a/b?x=1&y=2 p');
        expect(await res.body.text()).toBe('hello');
      } finally {
        await agent.close();
      }
    });

    it('honours an aborted signal', async () => {
      const agent = new Agent({ connections: 1 });
      try {
        const ac = new AbortController();
        ac.abort(new Error('stop'));
        await expect(request({ origin, path: '/' }, { dispatcher: agent, method: 'GET', signal: ac.signal })).rejects.toThrow('stop');
      } finally {
        await agent.close();
      }
    });
  });
});
