// Empties dist/ before a build, so a file that no longer has a source (or a build output we stopped
// producing) never reaches the published package.
require('node:fs').rmSync('dist', { recursive: true, force: true });
