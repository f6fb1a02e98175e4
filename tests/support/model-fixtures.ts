import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IModelRegistry, ModelFlavorLoader, ModelSignature } from '../../src/domain';
import { mlmodelYaml } from '../../src/infrastructure/tracking/models/mlmodel-file';

/**
 * Writes a model directory as MLflow would leave it: an MLmodel declaring `flavors` (and `signature`),
 * beside `files` (name → text).
 */
export async function writeModelDir(dir: string, model: { flavors: Record<string, Record<string, unknown>>; signature?: ModelSignature; files?: Record<string, string> }): Promise<string> {
  await mkdir(dir, { recursive: true });
  const mlmodel = mlmodelYaml({ modelUuid: 'f'.repeat(32), createdAt: Date.UTC(2026, 0, 1), flavors: model.flavors, ...(model.signature && { signature: model.signature }) });
  await writeFile(path.join(dir, 'MLmodel'), mlmodel, 'utf8');
  for (const [name, text] of Object.entries(model.files ?? {})) await writeFile(path.join(dir, name), text, 'utf8');
  return dir;
}

/** Registers `dir` as the next version of `name` (created if missing); its source is the directory's file: URI. */
export async function registerDir(registry: IModelRegistry, name: string, dir: string): Promise<number> {
  await registry.createRegisteredModel(name);
  return (await registry.createModelVersion({ name, source: pathToFileURL(dir).href })).version;
}

/** A gate a test opens: every `wait()` before `open()` is held. */
export class Gate {
  private opened = false;
  private waiters: (() => void)[] = [];
  /** How many callers are held now. */
  get held(): number {
    return this.waiters.length;
  }
  wait(): Promise<void> {
    if (this.opened) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  open(): void {
    this.opened = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
  close(): void {
    this.opened = false;
  }
}

/** Resolves once `condition()` holds; a generous bound guards against a hang, it is not a timing assertion. */
export async function until(condition: () => boolean, what: string, boundMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > boundMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The signature of the `answer` models: one double column `x`. */
export const X_SIGNATURE: ModelSignature = { inputs: [{ name: 'x', type: 'double' }], outputs: [{ type: 'double' }] };

/**
 * An app's flavor loader, `answer`: the model is `answer.json` (`{ "answer": 42 }`) and answers that for
 * every row. It records every load and release (by the answer), and its scoring waits at `scoring` and
 * its loading at `loading` while those gates are closed, so a test holds calls in flight.
 */
export function answerFlavor() {
  const loads: number[] = [];
  const releases: number[] = [];
  const scoring = new Gate();
  const loading = new Gate();
  scoring.open();
  loading.open();
  const loader: ModelFlavorLoader = {
    flavor: 'answer',
    async load(files) {
      await loading.wait();
      const parsed = JSON.parse(await readFile(path.join(files.dir, String(files.flavor.data ?? 'answer.json')), 'utf8')) as { answer: number };
      loads.push(parsed.answer);
      return {
        inputs: [{ name: 'x', type: 'double' }],
        outputNames: ['answer'],
        score: async (batch) => {
          await scoring.wait();
          return { answer: new Array<number>(batch.rows).fill(parsed.answer) };
        },
        release: async () => {
          releases.push(parsed.answer);
        },
      };
    },
  };
  return { loader, loads, releases, scoring, loading };
}

/** Writes an `answer` model answering `answer` (or `text` as its answer.json, to corrupt it). */
export function answerModel(dir: string, answer: number | { text: string }): Promise<string> {
  const text = typeof answer === 'number' ? JSON.stringify({ answer }) : answer.text;
  return writeModelDir(dir, { flavors: { answer: { data: 'answer.json' } }, signature: X_SIGNATURE, files: { 'answer.json': text } });
}
