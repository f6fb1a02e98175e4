import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../../..');

/** Public names of an entry point that lack a doc comment, or a doc comment with an `@example`. */
function undocumented(entry: string): { noDoc: string[]; noExample: string[] } {
  const file = path.join(root, entry);
  const program = ts.createProgram([file], { strict: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const noDoc: string[] = [];
  const noExample: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!ts.displayPartsToString(symbol.getDocumentationComment(checker))) noDoc.push(exported.name);
    else if (!symbol.getJsDocTags(checker).some((tag) => tag.name === 'example')) noExample.push(exported.name);
  }
  return { noDoc, noExample };
}

// "Every public name has a doc comment with a short usage example": checked, not remembered.
describe('the root entry documents every public name', () => {
  it('src/index.ts: each export has a doc comment with an @example', () => {
    expect(undocumented('src/index.ts')).toEqual({ noDoc: [], noExample: [] });
  }, 120_000);
});

describe('mlops-kit/nest documents every public name', () => {
  it('src/entries/nest.ts: each export has a doc comment with an @example', () => {
    expect(undocumented('src/entries/nest.ts')).toEqual({ noDoc: [], noExample: [] });
  }, 120_000);
});
