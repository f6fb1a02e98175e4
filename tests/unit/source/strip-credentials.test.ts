import { stripCredentials } from '../../../src/infrastructure/tracking/source/git-info';

describe('stripCredentials', () => {
  it.each([
    ['https://user:token@github.com/acme/app.git', 'https://github.com/acme/app.git'],
    ['https://token@github.com/acme/app.git', 'https://github.com/acme/app.git'],
    ['ssh://git@github.com/acme/app.git', 'ssh://github.com/acme/app.git'],
    ['https://github.com/acme/app.git', 'https://github.com/acme/app.git'],
    ['git@github.com:acme/app.git', 'git@github.com:acme/app.git'],
    ['user:pw@host:acme/app.git', 'host:acme/app.git'],
    ['/srv/git/app.git', '/srv/git/app.git'],
  ])('%s → %s', (input, output) => {
    expect(stripCredentials(input)).toBe(output);
  });
});
