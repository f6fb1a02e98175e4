import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGitInfo } from '../../../src/infrastructure/tracking/source/git-info';
import { detectRunSource } from '../../../src/infrastructure/tracking/source/run-source';

// Real repositories made with the git binary; the code under test reads their files without it.
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

let root: string;
let repo: string;

async function commit(dir: string, file: string, text: string): Promise<string> {
  await fs.writeFile(join(dir, file), text);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', `add ${file}`);
  return git(dir, 'rev-parse', 'HEAD');
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'run-source-'));
  repo = join(root, 'repo');
  await fs.mkdir(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'remote', 'add', 'origin', 'https://ci-bot:ghp_s3cr3tT0ken@github.com/acme/bikes.git');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('detectRunSource', () => {
  it('tags source name, LOCAL type, commit, branch and the origin URL without its token', async () => {
    const sha = await commit(repo, 'a.txt', 'a');
    const tags = await detectRunSource({ cwd: repo, sourceName: 'conf/training.yaml' });
    expect(tags).toEqual({
      'mlflow.source.name': 'conf/training.yaml',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.git.commit': sha,
      'mlflow.source.git.branch': 'main',
      'mlflow.source.git.repoURL': 'https://github.com/acme/bikes.git',
    });
    expect(JSON.stringify(tags)).not.toMatch(/s3cr3t|ci-bot/);
  });

  it('finds the work tree from a subdirectory, and takes another source type', async () => {
    const sha = await commit(repo, 'a.txt', 'a');
    await fs.mkdir(join(repo, 'jobs', 'nightly'), { recursive: true });
    const tags = await detectRunSource({ cwd: join(repo, 'jobs', 'nightly'), sourceName: 'worker.js', sourceType: 'JOB' });
    expect(tags['mlflow.source.type']).toBe('JOB');
    expect(tags['mlflow.source.git.commit']).toBe(sha);
  });

  it('outside a git work tree gives only the source name and type', async () => {
    const plain = join(root, 'plain');
    await fs.mkdir(plain);
    expect(await detectRunSource({ cwd: plain, sourceName: 'job.yaml' })).toEqual({ 'mlflow.source.name': 'job.yaml', 'mlflow.source.type': 'LOCAL' });
  });

  it('a repository with no commit yet gives no git tags (MLflow records none either)', async () => {
    const tags = await detectRunSource({ cwd: repo, sourceName: 'job.yaml' });
    expect(Object.keys(tags)).toEqual(['mlflow.source.name', 'mlflow.source.type']);
  });

  it('reads the git state once per directory per process: a later commit does not change the tags', async () => {
    const first = await commit(repo, 'a.txt', 'a');
    await fs.mkdir(join(repo, 'sub'));
    expect((await detectRunSource({ cwd: repo, sourceName: 'x' }))['mlflow.source.git.commit']).toBe(first);
    const second = await commit(repo, 'b.txt', 'b');
    expect((await detectRunSource({ cwd: repo, sourceName: 'x' }))['mlflow.source.git.commit']).toBe(first);
    // another directory is read afresh
    expect((await detectRunSource({ cwd: join(repo, 'sub'), sourceName: 'x' }))['mlflow.source.git.commit']).toBe(second);
  });

  it('never puts a credential in the source name', async () => {
    const tags = await detectRunSource({ cwd: root, sourceName: 'https://u:p4ss@configs.example.com/train.yaml' });
    expect(tags['mlflow.source.name']).toBe('https://configs.example.com/train.yaml');
  });
});

describe('readGitInfo', () => {
  it('a detached HEAD has a commit and no branch', async () => {
    const first = await commit(repo, 'a.txt', 'a');
    await commit(repo, 'b.txt', 'b');
    git(repo, 'checkout', '-q', '--detach', first);
    expect(await readGitInfo(repo)).toEqual({ commit: first, repoUrl: 'https://github.com/acme/bikes.git' });
  });

  it('resolves a branch whose ref lives only in packed-refs', async () => {
    const sha = await commit(repo, 'a.txt', 'a');
    git(repo, 'pack-refs', '--all', '--prune');
    await expect(fs.stat(join(repo, '.git', 'refs', 'heads', 'main'))).rejects.toThrow();
    expect((await readGitInfo(repo))?.commit).toBe(sha);
  });

  it('follows a linked worktree (.git file with gitdir:, commondir) to its branch, commit and the shared origin', async () => {
    await commit(repo, 'a.txt', 'a');
    const tree = join(root, 'feature-tree');
    git(repo, 'worktree', 'add', '-q', '-b', 'feature/x', tree);
    const sha = await commit(tree, 'f.txt', 'f');
    expect((await fs.readFile(join(tree, '.git'), 'utf8')).startsWith('gitdir:')).toBe(true);
    expect(await readGitInfo(tree)).toEqual({ commit: sha, branch: 'feature/x', repoUrl: 'https://github.com/acme/bikes.git' });
  });

  it('follows a relative gitdir: pointer (a moved git dir, as submodules use)', async () => {
    const sha = await commit(repo, 'a.txt', 'a');
    await fs.rename(join(repo, '.git'), join(root, 'moved.git'));
    await fs.writeFile(join(repo, '.git'), 'gitdir: ../moved.git\n');
    expect((await readGitInfo(repo))?.commit).toBe(sha);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(sha); // git itself agrees the layout is valid
  });

  it('reads a quoted origin URL among other remotes and omits repoURL when there is no origin', async () => {
    await commit(repo, 'a.txt', 'a');
    git(repo, 'remote', 'remove', 'origin');
    git(repo, 'remote', 'add', 'upstream', 'https://example.com/up.git');
    expect((await readGitInfo(repo))?.repoUrl).toBeUndefined();
    await fs.appendFile(join(repo, '.git', 'config'), '[remote "origin"]\n\tURL = "git@github.com:acme/bikes.git" ; ssh\n');
    expect((await readGitInfo(repo))?.repoUrl).toBe('git@github.com:acme/bikes.git');
  });

  it('a broken HEAD means no git info rather than an error', async () => {
    await commit(repo, 'a.txt', 'a');
    await fs.writeFile(join(repo, '.git', 'HEAD'), 'ref: refs/heads/nowhere\n');
    expect(await readGitInfo(repo)).toBeUndefined();
    await fs.writeFile(join(repo, '.git', 'HEAD'), 'garbage\n');
    expect(await readGitInfo(repo)).toBeUndefined();
  });
});
