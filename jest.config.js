/** Jest runs the TypeScript sources directly through ts-jest. No dependency is transformed: inversify 7
 * ships CommonJS, so a stock ts-jest setup (ours and an app's) loads mlops-kit as is. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 30000,
};
