import { conduitConfig } from '@conduit/eslint-config';

export default conduitConfig({ tsconfigRootDir: import.meta.dirname });
