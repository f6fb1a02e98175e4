// Writes an ESM twin (.d.mts) of every declaration file in dist/, for package.json's "import" condition.
// Why: inversify ships separate CommonJS and ESM builds whose `Container` classes have `#private`
// members, so TypeScript treats them as different types. An ESM app (module node16/nodenext/bundler
// with "type": "module") that annotates `const c: Container = createContainer()` with its own
// `import { Container } from 'inversify'` gets inversify's ESM types; our .d.ts (CommonJS) would name
// the CommonJS ones and the assignment would fail. The .d.mts twins resolve every dependency in
// import mode, so both sides agree. The runtime stays our one CommonJS build: ESM apps get named exports
// through Node's CommonJS interop (tests/consumers checks both). Relative specifiers are made explicit
// (`./x` → `./x.mjs` or `./x/index.mjs`), as ESM resolution requires.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', 'dist');
const RELATIVE = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

function explicit(fromFile, specifier) {
  const target = path.resolve(path.dirname(fromFile), specifier);
  if (fs.existsSync(`${target}.d.ts`)) return `${specifier}.mjs`;
  if (fs.existsSync(path.join(target, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.mjs`;
  throw new Error(`esm-types: ${path.relative(dist, fromFile)} imports ${specifier}, which has no declaration file`);
}

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.d.ts')) {
      const text = fs.readFileSync(full, 'utf8').replace(RELATIVE, (_, lead, quote, spec) => `${lead}${quote}${explicit(full, spec)}${quote}`);
      fs.writeFileSync(full.replace(/\.d\.ts$/, '.d.mts'), text);
    }
  }
}

walk(dist);
