import { afterEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { parseConfig } from '../config/app-config.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';

const services: HealthService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.onModuleDestroy();
});

function service(redisUrl: string, query: () => Promise<unknown>): HealthService {
  const s = new HealthService(parseConfig({ REDIS_URL: redisUrl }), { query } as unknown as DataSource);
  services.push(s);
  return s;
}

describe('HealthService', () => {
  it('reports degraded when postgres fails and redis is unreachable', async () => {
    // Port 1 on loopback refuses connections at once.
    const s = service('redis://127.0.0.1:1', () => Promise.reject(new Error('connection refused')));
    await expect(s.check()).resolves.toEqual({ status: 'degraded', checks: { postgres: 'down', redis: 'down' } });
  });
});

describe('HealthController', () => {
  it('answers 503 when degraded and 200 when ok', async () => {
    const statuses: number[] = [];
    const res = { status: (code: number) => statuses.push(code) } as unknown as Response;
    const degraded = { check: async () => ({ status: 'degraded', checks: { postgres: 'up', redis: 'down' } }) } as unknown as HealthService;
    const ok = { check: async () => ({ status: 'ok', checks: { postgres: 'up', redis: 'up' } }) } as unknown as HealthService;
    await new HealthController(degraded).get(res);
    await new HealthController(ok).get(res);
    expect(statuses).toEqual([503, 200]);
  });
});
