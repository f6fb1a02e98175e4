#!/usr/bin/env -S node --
// mlops-kit CLI launcher, copied to dist/cli.js by scripts/bundle-cli.js.
// The "--" in the line above is load-bearing: Node 20 reads `--env-file <path>` from ANYWHERE in its argv,
// even after the script, so `mlops-kit run … --env-file missing.env` died in Node itself (exit 9) before
// any of our code ran. After "--" Node leaves every argument to the script.
// Loads dist/cli-bundle.js with V8's code cache: the first run compiles the bundle and saves V8's
// cached data; later runs skip compilation. Measured ~40 ms faster per run than v8-compile-cache
// (which hashes the whole source and keeps a JSON map); see bench/startup.ts.
// The cache is where a user looks for caches: $XDG_CACHE_HOME/mlops-kit/<version>/ (default
// ~/.cache; %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS), one file per installed version,
// named by the bundle's size and mtime (V8 rejects data from another Node, but checks only the length of
// the source, so a rebuild must change the name); when a new file is
// written, all but the three most recently used versions are removed, so the cache stays bounded.
// Any caching problem falls back to a plain require: the cache only ever saves time.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const KEEP_VERSIONS = 3;

function cacheRoot() {
  if (process.env.XDG_CACHE_HOME) return path.join(process.env.XDG_CACHE_HOME, 'mlops-kit');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return path.join(process.env.LOCALAPPDATA, 'mlops-kit', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'mlops-kit');
  return path.join(os.homedir(), '.cache', 'mlops-kit');
}

function loadBundle() {
  const file = path.join(__dirname, 'cli-bundle.js');
  try {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    const root = cacheRoot();
    // V8 checks cached data against the source's LENGTH only: a rebuilt bundle of the same length would
    // run stale code. The bundle's size and mtime name the file (a stat, not a hash of megabytes).
    const { size, mtimeMs } = fs.statSync(file);
    const cacheFile = path.join(root, String(version), `cli-code-cache-${size}-${Math.trunc(mtimeMs)}.bin`);
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
    if (cachedData === undefined || script.cachedDataRejected) saveCache(script, cacheFile, root);
    return bundle.exports;
  } catch (error) {
    if (process.env.MLOPS_KIT_DEBUG) process.stderr.write(`mlops-kit: code cache unavailable (${error}); loading normally\n`);
    return require(file);
  }
}

function saveCache(script, cacheFile, root) {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cacheFile); // atomic: a concurrent run never reads half a cache
    pruneOldBuilds(cacheFile);
    pruneOldVersions(root, path.dirname(cacheFile));
  } catch {
    // read-only cache dir: run uncached
  }
}

/** One cache file per version directory: the current build's. */
function pruneOldBuilds(cacheFile) {
  const dir = path.dirname(cacheFile);
  for (const name of fs.readdirSync(dir)) {
    if (name !== path.basename(cacheFile) && /^cli-code-cache.*\.bin$/.test(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Keeps the KEEP_VERSIONS most recently written version directories (the current one included). */
function pruneOldVersions(root, current) {
  const dirs = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(root, entry.name))
    .filter((dir) => dir !== current)
    .map((dir) => ({ dir, mtime: fs.statSync(dir).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of dirs.slice(KEEP_VERSIONS - 1)) fs.rmSync(dir, { recursive: true, force: true });
}

loadBundle().runFromProcess();
