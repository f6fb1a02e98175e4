// `npm run api:check` (part of `npm run lint`): compares the public API of every entry point in
// package.json "exports" with the committed report in etc/<entry>.api.md and fails on any difference,
// so a change to the public API is always a reviewed decision. `npm run api:update` rewrites the reports.
// Needs the build (dist/*.d.ts): run `npm run build` first.
const fs = require('node:fs');
const path = require('node:path');
const { CompilerState, Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const update = process.argv.includes('--update');
const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const entries = Object.entries(manifest.exports)
  .filter(([, target]) => typeof target === 'object' && target.require)
  .map(([subpath, target]) => ({
    name: subpath === '.' ? manifest.name : `${manifest.name}-${subpath.slice(2)}`,
    file: path.join(root, target.require.types),
  }));
const missing = entries.filter((entry) => !fs.existsSync(entry.file));
if (missing.length > 0) {
  console.error(`api-report: ${missing.map((e) => path.relative(root, e.file)).join(', ')} not found. Run \`npm run build\` first.`);
  process.exit(2);
}

const configFile = path.join(root, 'api-extractor.json');
const base = ExtractorConfig.loadFile(configFile);
const prepare = (entry) =>
  ExtractorConfig.prepare({
    configObject: { ...base, mainEntryPointFilePath: entry.file, apiReport: { ...base.apiReport, reportFileName: entry.name } },
    configObjectFullPath: configFile,
    packageJsonFullPath: path.join(root, 'package.json'),
  });

if (update) fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
// one TypeScript program for all entries
const configs = entries.map(prepare);
const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: entries.map((e) => e.file) });
const changed = [];
let errors = 0;
for (const [i, config] of configs.entries()) {
  const result = Extractor.invoke(config, { localBuild: update, compilerState, showVerboseMessages: false, messageCallback: quietSuccess });
  if (result.apiReportChanged) changed.push(`etc/${entries[i].name}.api.md`);
  errors += result.errorCount;
}
fs.rmSync(path.join(root, 'temp'), { recursive: true, force: true });

if (errors > 0) process.exit(1);
if (changed.length > 0 && !update) {
  console.error(
    `api-report: the public API differs from ${changed.join(', ')}.\n` +
      'If the change is intended, run `npm run api:update` and commit the reports; otherwise restore the export.',
  );
  process.exit(1);
}
console.log(update ? `api-report: ${changed.length ? `updated ${changed.join(', ')}` : 'reports already up to date'}` : `api-report: ${entries.length} entry points match etc/*.api.md`);

/** API Extractor's own per-entry chatter ("API Extractor completed successfully") adds nothing here. */
function quietSuccess(message) {
  if (message.messageId === 'console-api-report-unchanged' || message.messageId === 'console-api-report-copied') message.handled = true;
  if (message.logLevel === 'info' || message.logLevel === 'verbose') message.handled = true;
}
