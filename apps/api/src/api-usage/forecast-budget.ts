import { Injectable } from '@nestjs/common';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import type { BudgetState } from './forecast.js';

/** The connection's daily budget as a forecast needs it: the CRM's daily limit and what bulk work may still spend. */
export interface BudgetNow extends BudgetState {
  dailyLimit: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Reads the connection's API budget for forecasts from the budget governance of #17 (ApiBudgetService: the
 * allocation, Conduit's calls today, the CRM-reported counters, the reset rule): bulk work's calls left today and in a
 * whole day, and the next reset. The reset is always known; the calls are null only while neither the CRM reported a
 * daily limit nor an admin entered one (then nothing is enforced and a forecast says so).
 *
 * Salesforce counts a rolling 24 hours: its next reset is when the oldest counted hour leaves the count, and the walk
 * through the budget (planAgainstBudget) takes a whole day's allowance back each 24 hours from then — the calls a
 * paused run spent leave the count 24 hours after it spent them, so over a long run that is what it gets back.
 */
@Injectable()
export class ForecastBudget {
  constructor(private readonly budgets: ApiBudgetService) {}

  /** The budget clock (real time; tests follow the CRM sandbox's limits clock). */
  clock(): Date {
    return this.budgets.now();
  }

  async now(workspaceId: string, connectionId: string): Promise<BudgetNow> {
    const b = await this.budgets.summary(workspaceId, connectionId);
    return {
      dailyLimit: b.dailyLimit,
      remainingToday: b.remaining?.bulk ?? null,
      allowancePerDay: b.allowance?.bulk ?? null,
      resetsAt: new Date(b.reset.nextResetAt),
      periodMs: DAY_MS,
    };
  }
}
