import { conduitConfig } from '@conduit/eslint-config';
import globals from 'globals';

export default [
  ...conduitConfig({ tsconfigRootDir: import.meta.dirname, ignores: ['test-results/**'] }),
  // The console runs in the browser; only the e2e harness runs in Node.
  { files: ['src/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
];
