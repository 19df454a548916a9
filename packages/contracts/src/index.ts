export * from './auth.js';
export * from './errors.js';
export * from './health.js';
export * from './jobs.js';
export * from './people.js';
export * from './connections.js';
export * from './export.js';
export * from './campaigns.js';
