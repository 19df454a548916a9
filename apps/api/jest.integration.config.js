import { jestConfig } from '@conduit/jest-config';

// Two files at once: each has its own database, Bull prefix and CRM sandbox, and most of a file's time is spent
// waiting (workers polling, queues, CRM answers), so two share CI's two cores well (see README "Tests").
export default jestConfig({ tier: 'integration', maxWorkers: Number(process.env.INTEGRATION_WORKERS ?? 2) });
