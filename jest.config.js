/** Jest runs the TypeScript sources directly through ts-jest. No dependency is transformed: inversify 7
 * ships CommonJS, so a stock ts-jest setup (ours and an app's) loads mlops-kit as is. */
module.exports = {
  // the environment apps use (mlops-kit/jest-environment): onnxruntime-node builds its outputs in the
  // process's realm, so each test file shares the process's typed arrays (see the file)
  testEnvironment: '<rootDir>/src/entries/jest-environment.ts',
  roots: ['<rootDir>/tests', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  // examples import the package by name, as an app does; in-process tests load it from source
  moduleNameMapper: { '^mlops-kit$': '<rootDir>/src/index.ts', '^mlops-kit/(.+)$': '<rootDir>/src/entries/$1.ts' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 30000,
};
