import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** Every README code block preceded by `<!-- file: <path> -->`, with the file it claims to be. */
function fileBlocks(): { file: string; code: string }[] {
  const blocks: { file: string; code: string }[] = [];
  const pattern = /<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```/g;
  for (let match = pattern.exec(readme); match; match = pattern.exec(readme)) blocks.push({ file: match[1]!, code: match[2]! });
  return blocks;
}

/**
 * The README's embedding and testing sections are the example backend's files, verbatim; those files are
 * run by tests/integration/backend (as a real service) and examples/backend/app.test.ts (in-process).
 */
describe('README code blocks', () => {
  it('shows the example backend: app, boot, an app-defined job kind and the app test', () => {
    expect(fileBlocks().map((b) => b.file)).toEqual(
      expect.arrayContaining(['examples/backend/app.ts', 'examples/backend/main.ts', 'examples/backend/greet-job.ts', 'examples/backend/app.test.ts']),
    );
  });

  it.each(fileBlocks().map((b) => [b.file, b.code]))('the block marked %s is that file, verbatim', (file, code) => {
    expect(code).toBe(readFileSync(path.join(root, file), 'utf8'));
  });
});
