import { BranchProgress, formatProgress } from '../../../src/application/experiments/progress';
import { runBranches } from '../../../src/application/experiments/branch-runner';

class FakeStream {
  chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

describe('BranchProgress', () => {
  it('redraws one line on a TTY with done / running / failed and ends it with a newline', async () => {
    const stream = new FakeStream(true);
    const progress = new BranchProgress(stream, 'sweep');
    await runBranches(
      [{ i: 0 }, { i: 1 }, { i: 2 }],
      async (c) => {
        if (c.i === 1) throw new Error('x');
      },
      { concurrency: 1, onProgress: (counts) => progress.update(counts) },
    );
    progress.finish();
    expect(stream.chunks.every((c, i) => (i === stream.chunks.length - 1 ? c === '\n' : c.startsWith('\r\x1b[2Ksweep: ')))).toBe(true);
    expect(stream.chunks.at(-2)).toBe('\r\x1b[2Ksweep: 3/3 done · 0 running · 1 failed · 0 skipped');
    expect(stream.chunks).toContain('\r\x1b[2Ksweep: 0/3 done · 1 running · 0 failed · 0 skipped');
  });

  it('writes nothing when the stream is not a TTY', () => {
    const stream = new FakeStream(false);
    const progress = new BranchProgress(stream);
    progress.update({ total: 1, pending: 0, running: 1, success: 0, failed: 0, skipped: 0 });
    progress.finish();
    expect(progress.enabled).toBe(false);
    expect(stream.chunks).toEqual([]);
  });

  it('does not repeat an unchanged line', () => {
    const stream = new FakeStream(true);
    const progress = new BranchProgress(stream);
    const counts = { total: 2, pending: 1, running: 1, success: 0, failed: 0, skipped: 0 };
    progress.update(counts);
    progress.update({ ...counts });
    expect(stream.chunks).toHaveLength(1);
    expect(formatProgress('x', counts)).toBe('x: 0/2 done · 1 running · 0 failed · 0 skipped');
  });
});
