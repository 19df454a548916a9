import { conduitConfig } from '@conduit/eslint-config';

export default [
  ...conduitConfig({ tsconfigRootDir: import.meta.dirname }),
  {
    // Configuration is validated once into AppConfig; nothing else reads the environment.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    ignores: ['src/config/app-config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration from AppConfig (src/config/app-config.ts).' }],
    },
  },
];
