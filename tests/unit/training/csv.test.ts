import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { numericColumns, readCsvDataset } from '../../../src/application/training/csv';
import { rejectionOf } from '../jobs/job-services';

const source = { file: '/data/t.csv', keyPath: 'job.dataPath' };
const batch = { columns: ['hour', 'temp', 'label'], rows: [['8', '21.5', 'x'], ['9', ' ', 'y']], lines: [2, 4] };

describe('numericColumns', () => {
  it('selects columns by name, in the order asked', () => {
    expect(numericColumns({ columns: ['a', 'b'], rows: [['1', ' 2 ']], lines: [2] }, ['b', 'a'], source)).toEqual([[2, 1]]);
  });

  it('names a missing column and lists the ones present', () => {
    expect(() => numericColumns(batch, ['windspeed'], source)).toThrow('job.dataPath /data/t.csv: missing column "windspeed" (columns: hour, temp, label); add it to the header.');
  });

  it('names the line (where the row starts) and column of a cell that is not a number (empty counts)', () => {
    expect(() => numericColumns(batch, ['hour', 'temp'], source)).toThrow('job.dataPath /data/t.csv:4: column "temp" is not a number: "".');
    let error: unknown;
    try {
      numericColumns(batch, ['label'], source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCodes.VALIDATION);
    expect((error as ValidationError).details).toEqual({ file: '/data/t.csv', keyPath: 'job.dataPath', line: 2 });
    expect((error as Error).message).toBe('job.dataPath /data/t.csv:2: column "label" is not a number: "x".');
  });
});

describe('readCsvDataset', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'csv-dataset-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });
  const read = async (text: string) => {
    const file = path.join(tmp, 'x.csv');
    await writeFile(file, text);
    return readCsvDataset({ file, keyPath: 'job.dataPath' });
  };

  it('uses every column but demand as a feature, reading the file as every job reads CSV (BOM, CRLF, quotes)', async () => {
    const data = await read('\uFEFFhour,demand,"temp"\r\n8,120,20\r\n\r\n9,"80",21\r\n');
    expect(data).toEqual({ featureNames: ['hour', 'temp'], target: 'demand', features: [[8, 20], [9, 21]], targets: [120, 80] });
  });

  it('explains a missing target, a target-only file, too few rows and a bad cell', async () => {
    expect((await rejectionOf(read('a,b\n1,2\n3,4\n'))).message).toMatch(/x\.csv: no target column "demand" \(columns: a, b\)/);
    expect((await rejectionOf(read('demand\n1\n2\n'))).message).toMatch(/only the target column/);
    expect((await rejectionOf(read('a,demand\n1,2\n'))).message).toMatch(/needs at least 2 data rows, got 1/);
    expect((await rejectionOf(read('a,demand\n1,2\n\n3,x\n'))).message).toMatch(/^job\.dataPath \S+x\.csv:4: column "demand" is not a number: "x"\.$/);
  });
});
