import { createRequire } from 'node:module';

/**
 * jsforce is CommonJS: its entry point exports the `jsforce` object (Connection, OAuth2, …),
 * while its typings also promise the `export *` names (StreamPromise, …) that only exist on the
 * inner lib module. Load both through require so Node and jest see the same values.
 */
const require = createRequire(import.meta.url);
export const jsforce = require('jsforce') as Pick<typeof import('jsforce'), 'Connection' | 'OAuth2'>;
export const { StreamPromise } = require('jsforce/lib/util/promise') as Pick<typeof import('jsforce'), 'StreamPromise'>;
