import { HttpException, HttpStatus, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { isIPv4, isIPv6 } from 'node:net';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { sha256 } from './tokens.js';

/** Failed sign-ins for one email from one network within the window; then that pair answers 429. */
export const MAX_FAILED_LOGINS = 10;
/** Failed sign-ins from one network (any emails) within the window; then the network answers 429. */
export const MAX_FAILED_LOGINS_PER_NETWORK = 30;
/** Failed sign-ins for one email from all networks within the window, past which its checks are spaced out. */
export const ACCOUNT_BACKOFF_AFTER = 50;
/** Past ACCOUNT_BACKOFF_AFTER: at most one check of the account's password per this many seconds. */
export const ACCOUNT_BACKOFF_SECONDS = 2;
export const FAILED_LOGIN_WINDOW_SECONDS = 15 * 60;

/** A 429 with a Retry-After header (set by the exception filter). */
export class TooManyAttempts extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ statusCode: 429, error: 'Too Many Requests', message }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** What begin() reserved: settle it with failed() or succeeded(). Null when Redis was unavailable (fail open). */
export type LoginTicket = { email: string; network: string } | null;

/**
 * One attempt = reserve, check the password, settle. The reservation (a Lua script, so atomic across API
 * processes) increments the email+network and network counters *before* the password is checked, so 50 parallel
 * guesses get at most MAX_FAILED_LOGINS real checks, not "read the counter, check, increment" races.
 *
 * - email + network: MAX_FAILED_LOGINS failures in the window, then 429 for that pair only;
 * - network (IPv4 address, IPv6 /64): MAX_FAILED_LOGINS_PER_NETWORK failures for any emails, then 429;
 * - email alone (every network): past ACCOUNT_BACKOFF_AFTER failures, at most one check per ACCOUNT_BACKOFF_SECONDS.
 *   This is a slow-down, never a lockout: an attacker cannot keep the owner out for 15 minutes with 10 requests,
 *   and the owner on their own network is not affected by the per-pair and per-network limits of the attacker's.
 *
 * A refused attempt is not counted (its reservation is given back). A success clears the email+network counter and
 * gives back its network reservation. If Redis is unreachable the check fails open (logged): signing in should not
 * depend on the queue store.
 */
const RESERVE = `
local pair, net, account, slot = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local maxPair, maxNet, accountAfter, slotMs, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local p = redis.call('INCR', pair)
local n = redis.call('INCR', net)
redis.call('EXPIRE', pair, window, 'NX')
redis.call('EXPIRE', net, window, 'NX')
local refusedTtl = -1
if p > maxPair then refusedTtl = redis.call('TTL', pair)
elseif n > maxNet then refusedTtl = redis.call('TTL', net)
elseif tonumber(redis.call('GET', account) or '0') >= accountAfter then
  if not redis.call('SET', slot, '1', 'NX', 'PX', slotMs) then refusedTtl = math.ceil(redis.call('PTTL', slot) / 1000) end
end
if refusedTtl >= 0 then
  redis.call('DECR', pair)
  redis.call('DECR', net)
  return refusedTtl
end
return -1
`;

@Injectable()
export class LoginThrottleService implements OnModuleDestroy {
  private readonly logger = new Logger(LoginThrottleService.name);
  private readonly redis: Redis;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on('error', () => undefined);
  }

  /** Reserves one password check for `email` from `ip`, or throws 429 (TooManyAttempts). */
  async begin(email: string, ip: string | undefined): Promise<LoginTicket> {
    const ticket = { email: this.emailKey(email), network: networkOf(ip) };
    const refusedFor = await this.safely(async () => {
      const keys = this.keys(ticket);
      return Number(
        await (await this.client()).eval(
          RESERVE,
          4,
          keys.pair,
          keys.network,
          keys.account,
          keys.slot,
          MAX_FAILED_LOGINS,
          MAX_FAILED_LOGINS_PER_NETWORK,
          ACCOUNT_BACKOFF_AFTER,
          ACCOUNT_BACKOFF_SECONDS * 1000,
          FAILED_LOGIN_WINDOW_SECONDS,
        ),
      );
    });
    if (refusedFor === undefined) return null;
    if (refusedFor >= 0) {
      const seconds = Math.max(refusedFor, 1);
      const wait = seconds >= 60 ? `${Math.ceil(seconds / 60)} minute(s)` : `${seconds} second(s)`;
      throw new TooManyAttempts(`Too many failed sign-ins; try again in ${wait}`, seconds);
    }
    return ticket;
  }

  /** The password was wrong: the reservation stays counted, and the account-wide count grows. */
  async failed(ticket: LoginTicket): Promise<void> {
    if (!ticket) return;
    await this.safely(async () => {
      const { account } = this.keys(ticket);
      await (await this.client()).multi().incr(account).expire(account, FAILED_LOGIN_WINDOW_SECONDS, 'NX').exec();
    });
  }

  /** Signed in: this network's failures for the email are forgotten, and the attempt does not count for the network. */
  async succeeded(ticket: LoginTicket): Promise<void> {
    if (!ticket) return;
    await this.safely(async () => {
      const keys = this.keys(ticket);
      await (await this.client()).multi().del(keys.pair).decr(keys.network).exec();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }

  private keys(ticket: { email: string; network: string }): { pair: string; network: string; account: string; slot: string } {
    const p = `${this.config.queuePrefix}:login`;
    return {
      pair: `${p}:pair:${ticket.email}:${ticket.network}`,
      network: `${p}:net:${ticket.network}`,
      account: `${p}:account:${ticket.email}`,
      slot: `${p}:slot:${ticket.email}`,
    };
  }

  /** The email is hashed so that Redis holds no address. */
  private emailKey(email: string): string {
    return sha256(email.trim().toLowerCase());
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

/**
 * The network an address belongs to, as the unit of the per-network limit: an IPv4 address, or the /64 of an
 * IPv6 address (one subscriber's allocation; counting single IPv6 addresses would let one host rotate freely).
 */
export function networkOf(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return 'unknown';
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => (g.includes('.') ? g : g.toLowerCase().replace(/^0+(?=.)/, '')));
}
