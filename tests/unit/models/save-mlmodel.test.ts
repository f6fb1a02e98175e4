import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMlmodel, saveMlmodel, totalFileSize } from '../../../src/infrastructure/tracking/models';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'save-mlmodel-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saveMlmodel', () => {
  it('writes the example files, then the MLmodel with the size of everything but itself, readable back', async () => {
    await fs.writeFile(join(dir, 'model.json'), '{"weights":[1,2,3]}'); // 19 bytes
    await fs.mkdir(join(dir, 'extra'));
    await fs.writeFile(join(dir, 'extra', 'notes.txt'), 'hello'); // 5 bytes
    const text = await saveMlmodel(dir, {
      artifactPath: 'model',
      runId: 'r1',
      modelUuid: 'u1',
      createdAt: 0,
      flavors: { mlops_kit: { loader: 'linear-regression', mlops_kit_version: '0.1.0', data: 'model.json' } },
      signature: { inputs: [{ name: 'hour', type: 'long' }], outputs: [{ type: 'double' }] },
      inputExample: [{ hour: 8 }],
    });
    const example = await fs.readFile(join(dir, 'input_example.json'), 'utf8');
    const serving = await fs.readFile(join(dir, 'serving_input_example.json'), 'utf8');
    expect(example).toBe('{"columns": ["hour"], "data": [[8]]}');
    const size = 19 + 5 + Buffer.byteLength(example) + Buffer.byteLength(serving);
    expect(text).toContain(`model_size_bytes: ${size}\n`);
    expect(await fs.readFile(join(dir, 'MLmodel'), 'utf8')).toBe(text);
    const model = await readMlmodel(dir);
    expect(model.sizeBytes).toBe(size);
    expect(model.savedInputExampleInfo).toMatchObject({ artifact_path: 'input_example.json' });
    expect(model.signature?.inputs).toEqual([{ name: 'hour', type: 'long', required: true }]);
    // saving again does not count the previous MLmodel
    await saveMlmodel(dir, { modelUuid: 'u1', createdAt: 0, flavors: { mlops_kit: { loader: 'x', mlops_kit_version: '1' } } });
    expect((await readMlmodel(dir)).sizeBytes).toBe(size);
    expect(await totalFileSize(dir)).toBe(size + Buffer.byteLength(await fs.readFile(join(dir, 'MLmodel'))));
  });
});
