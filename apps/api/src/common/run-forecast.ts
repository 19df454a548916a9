import { BadRequestException } from '@nestjs/common';
import type { ForecastKind, ForecastVsActualDto, RunForecastDto } from '@conduit/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Forecasts of bulk work (#17) are made by the api-usage feature, above the features that start runs. A run started
 * with the `forecastId` the admin was shown keeps that forecast (sync_run.forecast / export_run.forecast), so the
 * run page can put it next to what the run took. The features that start runs ask this token; api-usage provides it.
 */
export const RUN_FORECASTS = Symbol('RunForecasts');

export interface RunForecasts {
  /**
   * The forecast `forecastId` made for this connection and kind of work, marked used in the caller's transaction;
   * null when there is no such forecast in the workspace, it is for other work, too old, or already used.
   */
  claim(manager: EntityManager, ref: ForecastRef): Promise<RunForecastDto | null>;
  /** Whether claim would find it now (read-only: a check before other work, the claim still decides). */
  usable(ref: ForecastRef): Promise<boolean>;
}

export interface ForecastRef {
  workspaceId: string;
  connectionId: string;
  kind: ForecastKind;
  forecastId: string;
}

/** The 400 for a `forecastId` that cannot be used, naming the field like every validation error. */
export function forecastNotUsable(): BadRequestException {
  const message = 'This forecast cannot be used: it is for other work, more than an hour old, already used, or unknown. Make a new forecast.';
  return new BadRequestException({ statusCode: 400, message, errors: [{ field: 'forecastId', messages: [message] }] });
}

/**
 * A run's forecast next to what it took: calls and seconds (started → finished) once the run ended; the errors are
 * actual ÷ forecast − 1. `calls` null where the run does not count its calls.
 */
export function forecastVsActual(
  forecast: RunForecastDto,
  run: { status: string; startedAt: Date | null; finishedAt: Date | null; calls: number | null; records: number },
): ForecastVsActualDto {
  const ended = run.status === 'done' && run.finishedAt !== null;
  const seconds = ended && run.startedAt ? Math.max(0, (run.finishedAt!.getTime() - run.startedAt.getTime()) / 1000) : null;
  const error = (actual: number | null, expected: number) => (actual === null || !ended || expected <= 0 ? null : Math.round((actual / expected - 1) * 1000) / 1000);
  return {
    forecast,
    actual: { calls: run.calls, seconds: seconds === null ? null : Math.round(seconds), records: run.records },
    callsError: error(run.calls, forecast.expectedCalls),
    secondsError: error(seconds, forecast.expectedSeconds),
  };
}
