/**
 * The start of a script for a child `node` process that must load the library's TypeScript sources
 * (`require('…/src/….ts')`): a require hook that transpiles each `.ts` file with the project's TypeScript.
 * Tests that race real OS processes write it ahead of their own lines.
 *
 * @example await fs.writeFile(workerFile, `${TS_REQUIRE_HOOK}\nconst { LocalTracker } = require(${JSON.stringify(src)});\n…`);
 */
export const TS_REQUIRE_HOOK = `
const fs = require('fs');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
`;
