// Jest runs in native ESM mode (NestJS 12 is ESM-only): see README "Tests".
// Test tiers by file name: *.spec.ts (unit), *.integration-spec.ts, *.e2e-spec.ts.
/** @param {{ tier?: 'unit' | 'integration', tsconfig?: string, testTimeout?: number }} opts */
export function jestConfig({ tier = 'unit', tsconfig = 'tsconfig.test.json', testTimeout } = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig, isolatedModules: true, diagnostics: false }] },
    testMatch: tier === 'unit' ? ['<rootDir>/src/**/*.spec.ts'] : ['<rootDir>/{src,test}/**/*.integration-spec.ts'],
    testTimeout: testTimeout ?? (tier === 'unit' ? 10_000 : 60_000),
    ...(tier === 'integration' ? { maxWorkers: 1 } : {}),
  };
}
