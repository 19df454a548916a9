import { conduitConfig } from '@conduit/eslint-config';
import globals from 'globals';

export default [
  ...conduitConfig({ tsconfigRootDir: import.meta.dirname, ignores: ['test-results/**'] }),
  // The console runs in the browser; only the e2e harness runs in Node.
  { files: ['src/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['e2e/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
    },
  },
];
