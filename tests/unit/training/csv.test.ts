import { ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { datasetFromCsv, formatCsv, numericColumns, parseCsv } from '../../../src/application/training/csv';

describe('parseCsv', () => {
  it('reads a header and rows, ignoring blank lines, CRLF and a BOM', () => {
    const table = parseCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n', 'in.csv');
    expect(table).toEqual({ columns: ['a', 'b'], rows: [['1', '2'], ['3', '4']], lines: [2, 4] });
  });

  it('understands quoted fields with commas and doubled quotes', () => {
    const table = parseCsv('name,note\n"x","a, ""b"""\n', 'q.csv');
    expect(table.rows).toEqual([['x', 'a, "b"']]);
  });

  it('names the file and line when a row has the wrong number of fields', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'data/in.csv')).toThrow(/data\/in\.csv:3: expected 2 fields like the header, got 1/);
  });

  it('refuses an empty file and an unterminated quote', () => {
    expect(() => parseCsv('\n\n', 'empty.csv')).toThrow(/empty\.csv: the file is empty/);
    expect(() => parseCsv('a\n"open\n', 'bad.csv')).toThrow(/bad\.csv:2: unterminated quoted field/);
  });
});

describe('numericColumns', () => {
  const table = parseCsv('hour,temp,label\n8,21.5,x\n9,,y\n', 't.csv');

  it('selects columns by name, in the order asked', () => {
    expect(numericColumns(parseCsv('a,b\n1,2\n', 't.csv'), ['b', 'a'], 't.csv')).toEqual([[2, 1]]);
  });

  it('names a missing column and lists the ones present', () => {
    expect(() => numericColumns(table, ['windspeed'], 't.csv')).toThrow(
      't.csv: missing column "windspeed" (columns: hour, temp, label); add it to the header.',
    );
  });

  it('names the line and column of a cell that is not a number (empty counts)', () => {
    expect(() => numericColumns(table, ['hour', 'temp'], 't.csv')).toThrow('t.csv:3: column "temp" is not a number: "".');
    let error: unknown;
    try {
      numericColumns(table, ['label'], 't.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCodes.VALIDATION);
    expect((error as ValidationError).details).toEqual({ file: 't.csv' });
  });
});

describe('datasetFromCsv', () => {
  it('uses every column but demand as a feature', () => {
    const data = datasetFromCsv('hour,demand,temp\n8,120,20\n9,80,21\n', 'bikes.csv');
    expect(data).toEqual({ featureNames: ['hour', 'temp'], target: 'demand', features: [[8, 20], [9, 21]], targets: [120, 80] });
  });

  it('explains a missing target, a target-only file and too few rows', () => {
    expect(() => datasetFromCsv('a,b\n1,2\n3,4\n', 'x.csv')).toThrow(/no target column "demand" \(columns: a, b\)/);
    expect(() => datasetFromCsv('demand\n1\n2\n', 'x.csv')).toThrow(/only the target column/);
    expect(() => datasetFromCsv('a,demand\n1,2\n', 'x.csv')).toThrow(/needs at least 2 data rows, got 1/);
  });
});

describe('formatCsv', () => {
  it('quotes what needs quoting and round-trips through parseCsv', () => {
    const text = formatCsv(['id', 'note'], [[1, 'plain'], [2, 'a, "quoted"']]);
    expect(text).toBe('id,note\n1,plain\n2,"a, ""quoted"""\n');
    expect(parseCsv(text, 'rt.csv').rows).toEqual([['1', 'plain'], ['2', 'a, "quoted"']]);
  });
});
