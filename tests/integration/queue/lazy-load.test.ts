import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Which of bullmq/ioredis a fresh Node process has loaded after running `script` (against the built dist/). */
function loadedAfter(script: string): string[] {
  const probe = `${script};console.log(JSON.stringify(['bullmq','ioredis'].filter((p)=>Object.keys(require.cache).some((k)=>k.includes('/node_modules/'+p+'/')))))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

describe('bullmq and ioredis are optional peers, loaded only when the queue is used (built dist/)', () => {
  it("require('mlops-kit') loads neither", () => {
    expect(loadedAfter("require('./dist/index.js')")).toEqual([]);
  });

  it('importing the queue module loads neither; connecting a queue loads both', () => {
    expect(loadedAfter("require('./dist/infrastructure/queue/index.js')")).toEqual([]);
    const connect = "const q=require('./dist/infrastructure/queue/index.js').connectJobQueue({url:'redis://127.0.0.1:1',name:'lazy'});q.close().catch(()=>{})";
    expect(loadedAfter(connect)).toEqual(['bullmq', 'ioredis']);
  });
});
