// Preloaded with `node --require` by test/cache/sqlite.test.ts: makes this
// process behave as an install where the optional better-sqlite3 did not
// build (no compiler), by failing its resolution the way a missing package does.
const Module = require('node:module');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'better-sqlite3') {
    const err = new Error(`Cannot find module '${request}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
