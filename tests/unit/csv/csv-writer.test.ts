import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { csvLine, CsvFileWriter } from '../../../src/application/csv/csv-writer';
import { readCsvRows } from '../../support/csv';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'csv-writer-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('csvLine', () => {
  it('quotes fields with a comma, quote or line break, and nothing else', () => {
    expect(csvLine(['a', 'b, c', 'say "hi"', 'two\nlines', ''])).toBe('a,"b, c","say ""hi""","two\nlines",\n');
  });
});

describe('CsvFileWriter', () => {
  it('writes a file that reads back as written, and it appears only on commit', async () => {
    const file = path.join(tmp, 'out', 'p.csv');
    const rows = [['1', 'a, b'], ['2', 'say "hi"'], ['3', 'x\r\ny']];
    const out = await CsvFileWriter.create(file, ['id', 'note']);
    await out.write(rows.slice(0, 2));
    await out.write(rows.slice(2));
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    await out.commit();
    expect(await readCsvRows(file)).toMatchObject({ columns: ['id', 'note'], rows });
    expect(await readdir(path.dirname(file))).toEqual(['p.csv']);
  });

  it('appends a computed last column to rows without copying them, quoted like any field', async () => {
    const file = path.join(tmp, 'p.csv');
    const out = await CsvFileWriter.create(file, ['id', 'prediction']);
    await out.write([['a'], ['b, c']], ['1.5', '[0.1,0.9]']);
    await out.commit();
    expect(await readFile(file, 'utf8')).toBe('id,prediction\na,1.5\n"b, c","[0.1,0.9]"\n');
  });

  it('discard leaves an existing target as it was and no temporary file behind', async () => {
    const file = path.join(tmp, 'p.csv');
    await writeFile(file, 'old\n');
    const out = await CsvFileWriter.create(file, ['id']);
    await out.write([['1']]);
    await out.discard();
    expect(await readFile(file, 'utf8')).toBe('old\n');
    expect(await readdir(tmp)).toEqual(['p.csv']);
  });
});
