import { HttpException, HttpStatus, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { sha256 } from './tokens.js';

export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_SECONDS = 15 * 60;

/**
 * Slows password guessing against one account: after MAX_FAILED_LOGINS failures within the window, logins for that
 * email answer 429 until the window ends. Counters live in Redis so every API process shares them. If Redis is
 * unreachable the check fails open (logged): signing in should not depend on the queue store.
 */
@Injectable()
export class LoginThrottleService implements OnModuleDestroy {
  private readonly logger = new Logger(LoginThrottleService.name);
  private readonly redis: Redis;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on('error', () => undefined);
  }

  async assertAllowed(email: string): Promise<void> {
    const count = await this.safely(async () => Number((await (await this.client()).get(this.key(email))) ?? 0));
    if (count !== undefined && count >= MAX_FAILED_LOGINS) {
      const ttl = (await this.safely(async () => (await this.client()).ttl(this.key(email)))) ?? FAILED_LOGIN_WINDOW_SECONDS;
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `Too many failed sign-ins; try again in ${Math.ceil(Math.max(ttl, 1) / 60)} minute(s)` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  async recordFailure(email: string): Promise<void> {
    await this.safely(async () => {
      const redis = await this.client();
      const key = this.key(email);
      await redis.multi().incr(key).expire(key, FAILED_LOGIN_WINDOW_SECONDS, 'NX').exec();
    });
  }

  async reset(email: string): Promise<void> {
    await this.safely(async () => (await this.client()).del(this.key(email)));
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }

  /** The email is hashed so that Redis holds no address. */
  private key(email: string): string {
    return `${this.config.queuePrefix}:login-failures:${sha256(email.trim().toLowerCase())}`;
  }

  private async client(): Promise<Redis> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
    return this.redis;
  }

  private async safely<T>(op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await op();
    } catch (err) {
      this.logger.warn({ msg: 'login throttle unavailable, allowing the attempt', error: (err as Error).message });
      return undefined;
    }
  }
}
