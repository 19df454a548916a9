import type { CrmAdapterOptions, CrmCredentials, CrmKind, CrmRateLimitState, CrmRequestInfo, RefreshCredentials } from './contract.js';
import { CrmError } from './errors.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface CallRunnerInit {
  crm: CrmKind;
  options: CrmAdapterOptions;
  refresh: RefreshCredentials;
  /** SDK error → typed error; `null` when the error is not a CRM answer (a bug): it is rethrown as is. */
  mapError: (e: unknown) => CrmError | null;
  /** Installs refreshed credentials into the SDK client. */
  applyCredentials: (c: CrmCredentials) => void;
}

/**
 * Every CRM call of an adapter goes through `run`: await the shared rate budget, time out a call
 * that hangs, map SDK errors to CrmError, and on an expired token call the caller's refresh
 * once and retry once. SDK-level retries are off in both adapters, so the engine's retry policy
 * (and the shared budget) sees every request.
 */
export class CallRunner {
  private readonly limits: CrmRateLimitState = { window: null, daily: null, observedAt: null };

  constructor(private readonly init: CallRunnerInit) {}

  async run<T>(fn: () => Promise<T>, cost = 1, budget: CrmRequestInfo['budget'] = 'standard'): Promise<T> {
    let refreshed = false;
    for (;;) {
      if (this.init.options.beforeRequest) await this.init.options.beforeRequest(cost, { crm: this.init.crm, budget });
      try {
        return await this.withTimeout(fn()).finally(() => this.init.options.afterRequest?.(cost));
      } catch (e) {
        const mapped = this.init.mapError(e);
        if (!mapped) throw e;
        if (mapped.kind === 'auth_expired' && !refreshed) {
          refreshed = true;
          this.init.applyCredentials(await this.init.refresh());
          continue;
        }
        throw mapped;
      }
    }
  }

  rateLimitState(): CrmRateLimitState {
    return {
      window: this.limits.window ? { ...this.limits.window } : null,
      daily: this.limits.daily ? { ...this.limits.daily } : null,
      observedAt: this.limits.observedAt,
    };
  }

  recordLimits(update: Partial<Pick<CrmRateLimitState, 'window' | 'daily'>>): void {
    if (update.window) this.limits.window = update.window;
    if (update.daily) this.limits.daily = update.daily;
    if (!update.window && !update.daily) return;
    const observedAt = new Date().toISOString();
    this.limits.observedAt = observedAt;
    const listener = this.init.options.onRateLimits;
    if (!listener) return;
    try {
      listener({ ...(update.window ? { window: { ...update.window } } : {}), ...(update.daily ? { daily: { ...update.daily } } : {}), observedAt });
    } catch {
      // A listener's failure must not fail the CRM call that carried the figures.
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    const ms = this.init.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CrmError({ kind: 'transient', cause: 'timeout' }, { crm: this.init.crm, message: `No answer from ${this.init.crm} within ${ms} ms` }),
          ),
        ms,
      );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
