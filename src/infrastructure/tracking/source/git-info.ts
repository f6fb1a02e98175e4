import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * What a run records about the git work tree it ran in: the checked-out commit, the branch (undefined on
 * a detached HEAD) and the `origin` remote's URL without credentials.
 *
 * @example const git = await readGitInfo(process.cwd()); if (git) console.log(git.commit.slice(0, 7));
 */
export interface GitInfo {
  commit: string;
  branch?: string;
  repoUrl?: string;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Reads the git state of the work tree holding `cwd` straight from its files, so no git binary is
 * needed: the nearest `.git` up the tree (a directory, or a file `gitdir: …` as in linked worktrees and
 * submodules, whose `commondir` names the shared repository), `HEAD`, loose refs, `packed-refs` and the
 * `[remote "origin"] url` in `config`. Undefined outside a work tree or when HEAD names no commit yet (a
 * fresh repository, or refs in the reftable format this reader does not parse), as MLflow then records
 * no git tags. Never throws: an unreadable file means no git info.
 *
 * @example await readGitInfo('/srv/app'); // { commit: '9fceb02…', branch: 'main', repoUrl: 'https://github.com/acme/app.git' }
 */
export async function readGitInfo(cwd: string): Promise<GitInfo | undefined> {
  try {
    const gitDir = await findGitDir(resolve(cwd));
    if (!gitDir) return undefined;
    const commonDir = await readCommonDir(gitDir);
    const head = (await readText(join(gitDir, 'HEAD')))?.trim();
    if (!head) return undefined;
    let branch: string | undefined;
    let commit: string | undefined;
    if (head.startsWith('ref:')) {
      const ref = head.slice(4).trim();
      if (ref.startsWith('refs/heads/')) branch = ref.slice('refs/heads/'.length);
      commit = await resolveRef(ref, gitDir, commonDir);
    } else if (SHA.test(head)) commit = head;
    if (!commit) return undefined;
    const url = originUrl((await readText(join(commonDir, 'config'))) ?? '');
    return { commit, ...(branch ? { branch } : {}), ...(url ? { repoUrl: stripCredentials(url) } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * A remote URL with any user and password removed: `https://user:token@host/x.git` → `https://host/x.git`.
 * The scp-like form `git@host:org/x.git` names an SSH user, not a secret, and is kept; anything before
 * an `@` that holds a `:` is dropped there too.
 *
 * @example stripCredentials('https://ci:ghp_abc@github.com/acme/app.git'); // 'https://github.com/acme/app.git'
 */
export function stripCredentials(url: string): string {
  const withScheme = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*@)?(.*)$/.exec(url);
  if (withScheme) return `${withScheme[1]}${withScheme[3]}`;
  const scp = /^([^@/]*)@(.*)$/.exec(url);
  if (scp && scp[1]!.includes(':')) return scp[2]!;
  return url;
}

async function findGitDir(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, '.git');
    const stat = await fs.stat(candidate).catch(() => undefined);
    if (stat?.isDirectory()) return candidate;
    if (stat?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec((await readText(candidate)) ?? '');
      if (pointer) return resolve(dir, pointer[1]!.trim());
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** A linked worktree's git dir keeps HEAD and its own refs; `commondir` points at the shared refs and config. */
async function readCommonDir(gitDir: string): Promise<string> {
  const common = (await readText(join(gitDir, 'commondir')))?.trim();
  if (!common) return gitDir;
  return isAbsolute(common) ? common : resolve(gitDir, common);
}

async function resolveRef(ref: string, gitDir: string, commonDir: string, hops = 0): Promise<string | undefined> {
  if (hops > 5 || ref.includes('..')) return undefined;
  for (const dir of gitDir === commonDir ? [gitDir] : [gitDir, commonDir]) {
    const value = (await readText(join(dir, ref)))?.trim();
    if (value?.startsWith('ref:')) return resolveRef(value.slice(4).trim(), gitDir, commonDir, hops + 1);
    if (value && SHA.test(value)) return value;
  }
  for (const line of ((await readText(join(commonDir, 'packed-refs'))) ?? '').split('\n')) {
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  return undefined;
}

/** The `url` of `[remote "origin"]` in a git config (git-config syntax: case-insensitive keys, optional quotes, `#`/`;` comments). */
function originUrl(config: string): string | undefined {
  let inOrigin = false;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    const section = /^\[\s*([^\s\]"]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      inOrigin = section[1]!.toLowerCase() === 'remote' && section[2] === 'origin';
      continue;
    }
    if (!inOrigin) continue;
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (entry && entry[1]!.toLowerCase() === 'url') return unquote(entry[2]!);
  }
  return undefined;
}

function unquote(value: string): string {
  const text = value.replace(/\s+[#;].*$/, '').trim();
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2 ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}

async function readText(file: string): Promise<string | undefined> {
  return fs.readFile(file, 'utf8').catch(() => undefined);
}
