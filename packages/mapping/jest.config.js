import { jestConfig } from '@conduit/jest-config';

export default jestConfig({ tier: 'unit' });
