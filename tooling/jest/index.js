// Jest runs in native ESM mode (NestJS 12 is ESM-only): see README "Tests".
// Test tiers by file name: *.spec.ts (unit), *.integration-spec.ts, *.e2e-spec.ts.
/**
 * @param {{ tier?: 'unit' | 'integration', tsconfig?: string, testTimeout?: number, maxWorkers?: number }} opts
 * `maxWorkers` (integration): test files run at once, each with its own database, Bull prefix and CRM sandbox.
 */
export function jestConfig({ tier = 'unit', tsconfig = 'tsconfig.test.json', testTimeout, maxWorkers } = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig, isolatedModules: true, diagnostics: false }] },
    testMatch: tier === 'unit' ? ['<rootDir>/src/**/*.spec.ts'] : ['<rootDir>/{src,test}/**/*.integration-spec.ts'],
    testTimeout: testTimeout ?? (tier === 'unit' ? 10_000 : 60_000),
    ...(tier === 'integration' ? { maxWorkers: maxWorkers ?? 1 } : {}),
  };
}
