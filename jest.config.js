/** Jest runs the TypeScript sources directly through ts-jest. No dependency is transformed: inversify 7
 * ships CommonJS, so a stock ts-jest setup (ours and an app's) loads mlops-kit as is. */
module.exports = {
  // onnxruntime-node's outputs are built in the process's realm: share its typed arrays with each test file (see the file)
  testEnvironment: '<rootDir>/tests/support/onnx-jest-environment.js',
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
