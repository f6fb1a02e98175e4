/** Jest runs the TypeScript sources directly through ts-jest. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  // examples import the package by name, as an app does; in-process tests load it from source
  moduleNameMapper: { '^mlops-kit$': '<rootDir>/src/index.ts' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // inversify 8 and @inversifyjs/* ship ESM only: compile them for Jest on Node 20
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  testTimeout: 30000,
};
