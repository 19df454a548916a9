import { Injectable } from '@nestjs/common';
import type { BudgetState } from './forecast.js';

/** The connection's daily budget as a forecast needs it: the CRM's daily limit and what bulk work may still spend. */
export interface BudgetNow extends BudgetState {
  dailyLimit: number | null;
}

/**
 * Reads the connection's API budget for forecasts. The budget governance of #17 (allocation, CRM-reported counters,
 * reset rule) answers it; without it nothing is known and a forecast gives calls and time only.
 */
@Injectable()
export class ForecastBudget {
  now(_workspaceId: string, _connectionId: string, _at: Date): Promise<BudgetNow> {
    return Promise.resolve({ dailyLimit: null, remainingToday: null, allowancePerDay: null, resetsAt: null });
  }
}
