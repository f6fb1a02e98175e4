#!/usr/bin/env -S node --
// mlops-kit CLI launcher, copied to dist/cli.js by scripts/bundle-cli.js.
// The "--" in the line above is load-bearing: Node 20 reads `--env-file <path>` from ANYWHERE in its argv,
// even after the script, so `mlops-kit run … --env-file missing.env` died in Node itself (exit 9) before
// any of our code ran. After "--" Node leaves every argument to the script.
// Loads dist/cli-bundle.js with V8's code cache: the first run compiles the bundle and saves V8's
// cached data in the OS temp dir; later runs skip compilation. Measured ~40 ms faster per run than
// v8-compile-cache (which hashes the whole source and keeps a JSON map); see bench/startup.ts.
// Any caching problem falls back to a plain require: the cache only ever saves time.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

function loadBundle() {
  const file = path.join(__dirname, 'cli-bundle.js');
  try {
    const stat = fs.statSync(file);
    const key = `${process.version}-${process.arch}-${stat.size}-${Math.floor(stat.mtimeMs)}`;
    const cacheFile = path.join(os.tmpdir(), 'mlops-kit-code-cache', `${key}.bin`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
    const bundle = new Module(file, module);
    bundle.filename = file;
    bundle.paths = Module._nodeModulePaths(__dirname);
    script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, __dirname);
    if (cachedData === undefined || script.cachedDataRejected) saveCache(script, cacheFile);
    return bundle.exports;
  } catch (error) {
    if (process.env.MLOPS_KIT_DEBUG) process.stderr.write(`mlops-kit: code cache unavailable (${error}); loading normally\n`);
    return require(file);
  }
}

function saveCache(script, cacheFile) {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cacheFile); // atomic: a concurrent run never reads half a cache
  } catch {
    // read-only temp dir: run uncached
  }
}

loadBundle().runFromProcess();
