import { jestConfig } from '@conduit/jest-config';

export default {
  ...jestConfig({ tier: 'unit' }),
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/__fixtures__/**'],
};
