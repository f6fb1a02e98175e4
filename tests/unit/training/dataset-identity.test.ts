import { ValidationError } from '../../../src/domain/errors';
import { datasetFromTable, datasetInput, signatureOf } from '../../../src/application/training/dataset-identity';
import { DatasetProfiler } from '../../../src/application/training/dataset-profile';
import { MAX_DISTINCT, readCell, type Table, typedColumns } from '../../../src/application/training/table-columns';

const csv = 'hour,temperature,city,working,demand\n8,21.5,Oslo,true,120\n9,19,Bergen,false,80\n10,,Oslo,TRUE,95\n';
/** The CSV above as text cells (it has no quotes; the reader has tests of its own). */
const parseTable = (text: string): Table => {
  const [header, ...rows] = text.split(/\r?\n/).filter((line) => line !== '');
  return { columns: header!.split(','), rows: rows.map((row) => row.split(',')) };
};
const table = parseTable(csv);

describe('typedColumns', () => {
  it('types columns as pandas read_csv + MLflow inference would: long, double (fraction or gap), boolean, string', () => {
    const types = typedColumns(table).map((c) => [c.name, c.type, c.missing]);
    expect(types).toEqual([
      ['hour', 'long', 0],
      ['temperature', 'double', 1],
      ['city', 'string', 0],
      ['working', 'boolean', 0],
      ['demand', 'long', 0],
    ]);
  });

  it('a whole-number column with a gap is double (pandas NaN), hex and 1_000 are text as pandas reads them', () => {
    const [gappy, hex] = typedColumns({ columns: ['a', 'b'], rows: [['1', '0x10'], [' ', '1_000']] });
    expect(gappy).toEqual({ name: 'a', type: 'double', missing: 1 });
    expect(hex!.type).toBe('string');
    expect(['1', ' ', '0x10', '1_000', ' 8.5e1 ', 'TRUE', 'False', NaN].map(readCell)).toEqual([1, null, '0x10', '1_000', 85, true, false, null]);
  });
});

describe('datasetFromTable', () => {
  const dataset = datasetFromTable(table, { source: 'data/bikes.csv', cwd: '/srv/app' });

  it('names the dataset after the file and points at its absolute file URI, source type local', () => {
    expect(dataset.name).toBe('bikes');
    expect(dataset.sourceType).toBe('local');
    expect(dataset.source).toBe('{"uri": "file:///srv/app/data/bikes.csv"}');
  });

  it("writes MLflow's column-spec schema, gaps as required false, in json.dumps spacing", () => {
    expect(dataset.schema).toBe(
      '{"mlflow_colspec": [{"type": "long", "name": "hour", "required": true}, {"type": "double", "name": "temperature", "required": false}, ' +
        '{"type": "string", "name": "city", "required": true}, {"type": "boolean", "name": "working", "required": true}, {"type": "long", "name": "demand", "required": true}]}',
    );
  });

  it("profiles rows, elements and each column (min/max/mean or distinct, missing)", () => {
    expect(JSON.parse(dataset.profile!)).toEqual({
      num_rows: 3,
      num_elements: 15,
      columns: {
        hour: { type: 'long', missing: 0, min: 8, max: 10, mean: 9 },
        temperature: { type: 'double', missing: 1, min: 19, max: 21.5, mean: 20.25 },
        city: { type: 'string', missing: 0, distinct: 2 },
        working: { type: 'boolean', missing: 0, distinct: 2 },
        demand: { type: 'long', missing: 0, min: 80, max: 120, mean: 98.33333333333333 },
      },
    });
    // floats are written as Python writes them: 19.0, not 19
    expect(dataset.profile).toContain('"temperature": {"type": "double", "missing": 1, "min": 19.0, "max": 21.5, "mean": 20.25}');
    expect(dataset.profile).toContain('"mean": 9.0');
  });

  it('gives an 8-hex digest that is stable for the same content and changes with any value, name or row', () => {
    expect(dataset.digest).toMatch(/^[0-9a-f]{8}$/);
    const again = datasetFromTable(parseTable(csv.replace('19,', '19.0,').replace(/\n/g, '\r\n')), { source: 'elsewhere.csv' });
    expect(again.digest).toBe(dataset.digest);
    const digestOf = (text: string) => datasetFromTable(parseTable(text), { source: 'x.csv' }).digest;
    expect(digestOf(csv.replace('120', '121'))).not.toBe(dataset.digest);
    expect(digestOf(csv.replace('city', 'town'))).not.toBe(dataset.digest);
    expect(digestOf(csv + '11,20,Oslo,true,90\n')).not.toBe(dataset.digest);
    // cells cannot slide across columns without changing the digest
    expect(digestOf('a,b\nxy,z\n')).not.toBe(digestOf('a,b\nx,yz\n'));
  });

  it('describes rows streamed in batches exactly as the whole table at once', () => {
    const profiler = new DatasetProfiler(table.columns);
    for (const row of table.rows) profiler.add([row]);
    expect(profiler.content()).toEqual({ digest: dataset.digest, schema: dataset.schema, profile: dataset.profile });
    // the same values typed in code (numbers, booleans, a gap) are the same dataset
    const typed = datasetFromTable({ columns: table.columns, rows: [[8, 21.5, 'Oslo', true, 120], [9, 19, 'Bergen', false, 80], [10, null, 'Oslo', true, 95]] }, { source: 'x.csv' });
    expect(typed.digest).toBe(dataset.digest);
  });

  it('bounds the distinct count of a text column of unique ids, saying it is a lower bound', () => {
    const ids = datasetFromTable({ columns: ['id'], rows: Array.from({ length: MAX_DISTINCT + 5 }, (_, i) => [`id-${i}`]) }, { source: 'ids.csv' });
    expect(JSON.parse(ids.profile!).columns.id).toEqual({ type: 'string', missing: 0, distinct_at_least: MAX_DISTINCT });
  });

  it('keeps URI sources as URIs with their scheme as source type, and drops credentials', () => {
    const s3 = datasetFromTable(table, { source: 's3://bucket/data/bikes.csv' });
    expect([s3.sourceType, s3.source, s3.name]).toEqual(['s3', '{"uri": "s3://bucket/data/bikes.csv"}', 'bikes']);
    // user info, query and fragment are dropped: a presigned URL's signature is a credential too
    const web = datasetFromTable(table, { source: 'https://alice:s3cr3t@data.example.com/bikes.csv?X-Amz-Signature=abc123sig#part', name: 'bikes-v2' });
    expect([web.sourceType, web.source, web.name]).toEqual(['http', '{"url": "https://data.example.com/bikes.csv"}', 'bikes-v2']);
    expect(JSON.stringify(web)).not.toMatch(/alice|s3cr3t|abc123sig|part/);
    expect(datasetFromTable(table, { source: 'file:///data/bikes.csv' }).sourceType).toBe('local');
  });

  it('refuses a URI it cannot parse without echoing its credentials', () => {
    expect(() => datasetFromTable(table, { source: 'https://bob:hunter2@exa mple.com/x.csv' })).toThrow(ValidationError);
    expect(() => datasetFromTable(table, { source: 'https://bob:hunter2@exa mple.com/x.csv' })).not.toThrow(/hunter2/);
  });
});

describe('datasetInput', () => {
  it("tags the dataset with MLflow's context tag", () => {
    const dataset = datasetFromTable(table, { source: 'bikes.csv' });
    expect(datasetInput(dataset, 'training')).toEqual({ dataset, tags: { 'mlflow.data.context': 'training' } });
  });
});

describe('signatureOf', () => {
  it('lists the features with their types in the order given, and one double output for a numeric target', () => {
    expect(signatureOf(table, ['temperature', 'hour', 'city'], 'demand')).toEqual({
      inputs: [
        { name: 'temperature', type: 'double', required: false },
        { name: 'hour', type: 'long' },
        { name: 'city', type: 'string' },
      ],
      outputs: [{ type: 'double' }],
    });
  });

  it('names a missing feature or target column and lists the columns', () => {
    expect(() => signatureOf(table, ['hour', 'wind'], 'demand')).toThrow(/no column "wind" in the table \(columns: hour, temperature, city, working, demand\)/);
    expect(() => signatureOf(table, ['hour'], 'rentals')).toThrow(ValidationError);
  });
});
