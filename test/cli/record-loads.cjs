// Preloaded with `node --require` by test/cli/lazy-loading.test.ts: appends to
// the file named by LOAD_LOG every module this process loads, one a line:
// ES modules (a loader hook), CommonJS requests, and built-ins fetched with
// process.getBuiltinModule (how node:sqlite is loaded).
const { appendFileSync } = require('node:fs');
const Module = require('node:module');

const log = process.env.LOAD_LOG;
const note = (what) => appendFileSync(log, `${what}\n`);

const load = Module._load;
Module._load = function (request, ...rest) {
  note(request);
  return load.call(this, request, ...rest);
};

const getBuiltinModule = process.getBuiltinModule;
process.getBuiltinModule = (id) => {
  note(id);
  return getBuiltinModule.call(process, id);
};

// The hook runs on the loader thread; it has its own fs and the same environment.
const hook = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOAD_LOG, resolved.url + '\\n');
  return resolved;
}`;
Module.register(`data:text/javascript,${encodeURIComponent(hook)}`);
