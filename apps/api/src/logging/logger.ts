import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/app-config.js';

const SECRET_KEYS = ['password', 'token', 'accessToken', 'refreshToken', 'clientSecret', 'apiKey', 'key', 'passwordHash'];

/**
 * pino's redaction matches exact paths (a `*` covers one level), so each secret key is listed at the
 * top level and up to three levels down; request/response headers are redacted where pino-http puts them.
 */
/** Request headers that carry credentials: sessions, API keys, the operator token and webhook signatures (a valid
 * signature replays its request). */
const SECRET_HEADERS = ['authorization', 'cookie', 'x-hubspot-signature', 'x-hubspot-signature-v3'];

export const REDACT_PATHS: string[] = [
  ...SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`]),
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

export interface LoggerOptions {
  level: LogLevel;
  /** The `service` field of every line. */
  service?: string;
  /** Where JSON lines go; stdout by default (tests pass a capturing stream). */
  destination?: DestinationStream;
}

export function createLogger({ level, service = 'conduit-api', destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
