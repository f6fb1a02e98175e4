// `npm test` runs this first (pretest): the queue tests start a real `redis-server` child process, so the
// test command itself makes sure one is installed. Missing, and allowed to install system packages (root,
// or sudo without a password prompt) on a machine with apt-get: install Debian's package (a few seconds).
// Otherwise stop at once with one line saying what to run: the queue tests never skip.
const { execFileSync, spawnSync } = require('node:child_process');

const has = (command, args = ['--version']) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

function ensureRedisServer() {
  if (has('redis-server')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !root && has('sudo', ['-n', 'true']) ? ['sudo', '-n'] : undefined;
  if (has('apt-get', ['--version']) && (root || sudo)) {
    process.stderr.write('npm test: the queue tests need redis-server; installing Debian\'s package (apt-get install redis-server)…\n');
    const run = (args) => {
      const [command, ...rest] = [...(sudo ?? []), ...args];
      execFileSync(command, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    };
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', 'redis-server']);
    if (has('redis-server')) return;
  }
  process.stderr.write(
    'npm test: the queue tests need redis-server and it is not installed; run `sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), then npm test again.\n',
  );
  process.exit(1);
}

ensureRedisServer();
