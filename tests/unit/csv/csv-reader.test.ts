import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CsvFile } from '../../../src/application/csv/csv-reader';
import { ConfigError, ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { readCsvRows } from '../../support/csv';
import { rejectionOf } from '../jobs/job-services';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'csv-reader-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function fileWith(text: string, name = 'in.csv'): Promise<string> {
  const file = path.join(tmp, name);
  await writeFile(file, text);
  return file;
}

describe('CsvFile', () => {
  it('reads a BOM, CRLF, quoted commas, quotes and line breaks, skipping empty lines, with the line each row starts on', async () => {
    const file = await fileWith('\uFEFFid, note ,n\r\n1,"a, b",2\r\n\r\n2,"two\r\nlines",3\r\n3,"say ""hi""",4');
    const table = await readCsvRows(file);
    expect(table.columns).toEqual(['id', 'note', 'n']);
    expect(table.rows).toEqual([
      ['1', 'a, b', '2'],
      ['2', 'two\r\nlines', '3'],
      ['3', 'say "hi"', '4'],
    ]);
    // line 3 is empty, the second row spans lines 4-5
    expect(table.lines).toEqual([2, 4, 6]);
  });

  it('keeps a quote inside an unquoted field as a character, as pandas reads it', async () => {
    expect((await readCsvRows(await fileWith('a,b\n5" screen,1\n'))).rows).toEqual([['5" screen', '1']]);
  });

  it('gives the rows in batches of the size asked, and a header-only file gives none', async () => {
    const file = await fileWith(['n', ...Array.from({ length: 5 }, (_, i) => String(i))].join('\n'));
    const csv = await CsvFile.open({ file, keyPath: 'job.inputPath' });
    const sizes: number[] = [];
    for await (const batch of csv.batches(2)) sizes.push(batch.rows.length);
    expect(sizes).toEqual([2, 2, 1]);
    const empty = await CsvFile.open({ file: await fileWith('a,b\n', 'header.csv'), keyPath: 'job.inputPath' });
    expect(empty.columns).toEqual(['a', 'b']);
    for await (const _ of empty.batches()) throw new Error('no batch expected');
  });

  it.each([
    ['a row with too few fields', 'a,b\n1,2\n\n"x\ny",3\n4\n', /^job\.inputPath \S+in\.csv:6: expected 2 fields like the header, got 1; quote a field that holds a comma\.$/],
    ['a row with too many fields', 'a,b\n1,2,3\n', /in\.csv:2: expected 2 fields like the header, got 3/],
    ['a quote never closed (named where the record starts)', 'a,b\n1,2\n3,"open\n4,5\n', /in\.csv:3: a quoted field opened in this record is never closed; close the quote/],
    ['a header naming a column twice', 'a, a\n1,2\n', /in\.csv:1: the header names column "a" twice; rename one\.$/],
    ['an empty file', '\n\n', /in\.csv: the file is empty; expected a header line and data rows\.$/],
    ['an unclosed quote swallowing the rest of a large file (bounded, not read into memory)', `a,b\n1,2\n3,"${'x,y\n'.repeat(300_000)}`, /in\.csv:3: a record over 1,048,576 characters, most likely an unclosed quote; close the quote\.$/],
  ])('refuses %s with a one-line ValidationError naming the key, file and line', async (_what, text, message) => {
    const file = await fileWith(text);
    const error = await rejectionOf((async () => {
      const csv = await CsvFile.open({ file, keyPath: 'job.inputPath' });
      for await (const _ of csv.batches()) void _;
    })());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe(ErrorCodes.VALIDATION);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.details).toMatchObject({ file, keyPath: 'job.inputPath' });
  });

  it('refuses a missing file and a directory with a ConfigError naming the key', async () => {
    const missing = await rejectionOf(CsvFile.open({ file: path.join(tmp, 'nope.csv'), keyPath: 'job.dataPath' }));
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toBe(`job.dataPath: ${path.join(tmp, 'nope.csv')} no such file; point job.dataPath at a CSV file (relative paths start from ${process.cwd()}).`);
    await mkdir(path.join(tmp, 'dir.csv'));
    expect((await rejectionOf(CsvFile.open({ file: path.join(tmp, 'dir.csv'), keyPath: 'job.dataPath' }))).message).toMatch(/dir\.csv is a directory/);
  });

  it('stops reading when the loop is left early', async () => {
    const file = await fileWith(['n', ...Array.from({ length: 100 }, (_, i) => String(i))].join('\n'));
    const csv = await CsvFile.open({ file, keyPath: 'job.inputPath' });
    for await (const batch of csv.batches(10)) {
      expect(batch.rows).toHaveLength(10);
      break;
    }
    // the generator is done: a second loop yields nothing
    for await (const _ of csv.batches(10)) throw new Error('the file should be closed');
  });
});
