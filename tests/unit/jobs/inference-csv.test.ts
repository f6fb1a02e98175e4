import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { InferenceJob, type InferenceJobDeps } from '../../../src/application/jobs/inference-job';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { readCsvRows } from '../../support/csv';
import { memoryServices, rejectionOf } from './job-services';

/**
 * InferenceJob's CSV rules (README "InferenceJob"): the file is read as every job reads CSV (quotes,
 * BOM, CRLF), in batches; columns the model does not take are kept in the output but not scored; a bad
 * cell is named by the line of the file it is on.
 */
const MODEL = 'bike-demand';
const FEATURES = ['hour', 'temperature', 'humidity', 'windspeed', 'workingday', 'holiday', 'rush_hour'];
const ROWS = ['8,18.5,0.55,10,1,0,1', '3,9,0.8,20,0,0,0', '17,24,0.4,5,1,0,1'];
let tmp: string;
let env: ReturnType<typeof memoryServices>;

beforeAll(async () => {
  env = memoryServices();
  const training = await new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, epochs: 50 }).execute();
  await env.store.setAlias(MODEL, 'Champion', training.version!);
});
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'inference-csv-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function score(text: string, deps: InferenceJobDeps = {}) {
  const inputPath = path.join(tmp, 'in.csv');
  await writeFile(inputPath, text);
  const outputPath = path.join(tmp, 'out.csv');
  const result = await new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}@Champion`, inputPath, outputPath }, deps).execute();
  return { result, out: await readCsvRows(outputPath) };
}

describe('InferenceJob CSV input', () => {
  it('reads quoted commas and line breaks, a BOM and CRLF, and keeps extra columns in the output without scoring them', async () => {
    const plain = await score([FEATURES.join(','), ...ROWS].join('\n'));
    const ids = ['"a, first"', '"two\r\nlines"', '"say ""c"""'];
    // columns in another order than the model's, with an id first and a note last that the model does not take
    const header = ['id', ...FEATURES.slice().reverse(), 'note'];
    const rows = ROWS.map((row, i) => [ids[i], ...row.split(',').reverse(), 'n'].join(','));
    const fancy = await score(`\uFEFF${header.join(',')}\r\n${rows.join('\r\n')}\r\n`);
    expect(fancy.result.rows).toBe(3);
    expect(fancy.out.columns).toEqual([...header, 'prediction']);
    expect(fancy.out.rows.map((r) => r[0])).toEqual(['a, first', 'two\r\nlines', 'say "c"']);
    expect(fancy.out.rows.map((r) => r.at(-2))).toEqual(['n', 'n', 'n']);
    expect(fancy.out.rows.map((r) => r.at(-1))).toEqual(plain.out.rows.map((r) => r.at(-1)));
    // predictions are written at full precision, as numbers
    expect(plain.out.rows.every((r) => Number.isFinite(Number(r.at(-1))))).toBe(true);
  });

  it('overwrites an existing prediction column in place rather than adding a second one', async () => {
    const { out } = await score([`${FEATURES.join(',')},prediction`, ...ROWS.map((r) => `${r},old`)].join('\n'));
    expect(out.columns).toEqual([...FEATURES, 'prediction']);
    expect(out.rows.map((r) => r.at(-1))).not.toContain('old');
  });

  it('takes whole numbers written as 8.0 or 8e0 in an integer column, and a header-only file scores zero rows', async () => {
    expect((await score([FEATURES.join(','), '8.0,18.5,0.55,1e1,1,0,1'].join('\n'))).result.rows).toBe(1);
    const empty = await score(`${FEATURES.join(',')}\n`);
    expect(empty.result.rows).toBe(0);
    expect(empty.out).toEqual({ columns: [...FEATURES, 'prediction'], rows: [], lines: [] });
  });

  it.each([
    ['a word in a numeric column', 'abc', /column "hour": expected a finite whole number \(long\), got "abc"\.$/],
    ['a fraction in an integer column', '8.5', /column "hour": expected a finite whole number \(long\), got 8\.5\.$/],
    ['an empty cell in a required column', ' ', /column "hour": missing value \(long required\)\.$/],
  ])('names the line of the file for %s, across batches and multi-line fields, and writes no output', async (_what, cell, message) => {
    // batches of 2: the bad row is the 2nd of the 3rd batch; a quoted line break above it shifts its line
    const lines = [`id,${FEATURES.join(',')}`, '"multi\nline",8,18.5,0.55,10,1,0,1', ...Array.from({ length: 4 }, (_, i) => `r${i},${ROWS[i % 3]}`), `bad,${cell},18.5,0.55,10,1,0,1`, `r9,${ROWS[0]}`];
    const runs = env.tracker.runs().length;
    const error = await rejectionOf(score(lines.join('\n'), { batchRows: 2 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe(ErrorCodes.MODEL_INPUT_INVALID);
    // header line 1, the multi-line row lines 2-3, four rows on lines 4-7: the bad row is on line 8
    expect(error.message).toMatch(new RegExp(`^job\\.inputPath ${path.join(tmp, 'in.csv').replace(/[.\\\\/]/g, '\\$&')}:8: model input `));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.details).toMatchObject({ line: 8, column: 'hour', file: path.join(tmp, 'in.csv') });
    expect(error.details?.row).toBeUndefined();
    // the run that started scoring ended FAILED; no half-written output is left
    expect(env.tracker.runs()).toHaveLength(runs + 1);
    expect((await env.tracker.getRun(env.tracker.runs().at(-1)!.info.runId)).info.status).toBe('FAILED');
    expect(await readdir(tmp)).toEqual(['in.csv']);
  });

  it('names the line of a malformed row (VALIDATION), not the record csv-parse ended on', async () => {
    const error = await rejectionOf(score([FEATURES.join(','), ROWS[0], '8,18.5', ROWS[1]].join('\r\n')));
    expect(error.code).toBe(ErrorCodes.VALIDATION);
    expect(error.message).toMatch(/in\.csv:3: expected 7 fields like the header, got 2; quote a field that holds a comma\.$/);
  });

  it('streams 200,000 rows in batches to a file with one line per row', async () => {
    const inputPath = path.join(tmp, 'big.csv');
    const stream = createWriteStream(inputPath);
    stream.write(`id,${FEATURES.join(',')}\n`);
    for (let i = 0; i < 200_000; i++) {
      if (!stream.write(`row-${i},${ROWS[i % 3]}\n`)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
    const outputPath = path.join(tmp, 'big-out.csv');
    const result = await new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}@Champion`, inputPath, outputPath }).execute();
    expect(result.rows).toBe(200_000);
    const out = await readCsvRows(outputPath);
    expect(out.rows).toHaveLength(200_000);
    expect(out.rows.at(-1)![0]).toBe('row-199999');
    expect(out.rows[3]!.at(-1)).toBe(out.rows[0]!.at(-1));
    const run = await env.tracker.getRun(result.runId);
    expect(run.data.metrics.rows_scored?.value).toBe(200_000);
    expect(JSON.parse(run.inputs!.datasetInputs[0]!.dataset.profile!)).toMatchObject({ num_rows: 200_000, columns: { id: { type: 'string', distinct_at_least: 10_000 }, hour: { type: 'long', min: 3, max: 17 } } });
  }, 120_000); // not a timing assertion: a slow machine gets room to read and write 200,000 rows twice
});
