import { Secret } from './secret.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The whole runtime configuration, validated once at boot. Nothing else reads `process.env`. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** 32-byte key for AES-256-GCM (CRM tokens at rest): the current key of `encryptionKeys`. */
  encryptionKey: Secret<Buffer>;
  /**
   * Key ring for AES-256-GCM. `currentId` encrypts; every key decrypts values stored under its id, so keys can
   * rotate: ENCRYPTION_KEYS="new:<key>,old:<key>" (first = current), or ENCRYPTION_KEY alone (id ENCRYPTION_KEY_ID).
   */
  encryptionKeys: EncryptionKeyRing;
  adminOrigin: string;
  queuePrefix: string;
  /** The API process also runs queue processors and the reconciler (dev convenience). */
  runProcessors: boolean;
  logLevel: LogLevel;
  /** How often the worker re-enqueues durable jobs whose Bull job vanished. */
  reconcileIntervalMs: number;
  /** How often the worker reads Salesforce (and HubSpot MQL) changes for the enabled workflows. */
  workflowPollIntervalMs: number;
  sessionTtlHours: number;
  /**
   * The instance operators' token (OPERATOR_TOKEN, at least 32 characters): opens the queue dashboard and the
   * operator API (`/api/operator/…`). Unset = both are closed; the operator CLI works either way.
   */
  operatorToken: Secret<string> | undefined;
  crm: CrmConfig;
}

export interface EncryptionKeyRing {
  currentId: string;
  keys: ReadonlyMap<string, Secret<Buffer>>;
}

/** Where the CRMs live and which OAuth apps Conduit uses. Defaults: the local CRM sandbox and its demo apps. */
export interface CrmConfig {
  hubspot: { baseUrl: string; clientId: string; clientSecret: Secret<string> };
  salesforce: { loginUrl: string; clientId: string; clientSecret: Secret<string> };
  /** Origin the CRMs redirect back to: `{base}/api/connections/{crm}/callback` (the admin, which proxies /api). */
  oauthRedirectBase: string;
  /** How often the worker re-discovers every connection's fields (schema drift). */
  discoveryIntervalMs: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Only for local development: refused when NODE_ENV=production. */
export const DEV_ENCRYPTION_KEY = 'ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzJieXRlcyE=';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Parse<T> = (raw: string) => T;

/** Parses `env` into an AppConfig, collecting every problem before throwing one ConfigError naming each variable. */
export function parseConfig(env: Env): AppConfig {
  const problems: string[] = [];

  function read<T>(name: string, parse: Parse<T>, fallback: string | undefined): T | undefined {
    const raw = env[name]?.trim() || fallback;
    if (raw === undefined) {
      problems.push(`${name} is required`);
      return undefined;
    }
    try {
      return parse(raw);
    } catch (err) {
      problems.push(`${name} ${(err as Error).message}`);
      return undefined;
    }
  }

  const nodeEnv = read('NODE_ENV', oneOf(NODE_ENVS), 'development');
  const production = nodeEnv === 'production';
  const config = {
    nodeEnv,
    port: read('PORT', integer(0, 65535), '3000'),
    databaseUrl: read('DATABASE_URL', url(['postgres:', 'postgresql:']), 'postgres://postgres@127.0.0.1:5432/conduit'),
    redisUrl: read('REDIS_URL', url(['redis:', 'rediss:']), 'redis://127.0.0.1:6379'),
    // ENCRYPTION_KEYS (a rotation ring) replaces ENCRYPTION_KEY when set.
    encryptionKey: env['ENCRYPTION_KEYS']?.trim() ? undefined : read('ENCRYPTION_KEY', key32, production ? undefined : DEV_ENCRYPTION_KEY),
    adminOrigin: read('ADMIN_ORIGIN', origin, 'http://localhost:5173'),
    queuePrefix: read('QUEUE_PREFIX', pattern(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -'), 'conduit'),
    runProcessors: read('RUN_PROCESSORS', boolean, production ? 'false' : 'true'),
    logLevel: read('LOG_LEVEL', oneOf(LOG_LEVELS), 'info'),
    reconcileIntervalMs: read('RECONCILE_INTERVAL_MS', integer(1000, 86_400_000), '60000'),
    workflowPollIntervalMs: read('WORKFLOW_POLL_INTERVAL_MS', integer(5000, 86_400_000), '30000'),
    sessionTtlHours: read('SESSION_TTL_HOURS', integer(1, 24 * 90), '336'),
    operatorToken: env['OPERATOR_TOKEN']?.trim() ? read('OPERATOR_TOKEN', operatorToken, undefined) : undefined,
  };
  const adminOrigin = config.adminOrigin ?? 'http://localhost:5173';
  const keyId = read('ENCRYPTION_KEY_ID', pattern(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -'), 'k1');
  const ring = env['ENCRYPTION_KEYS']?.trim() ? read('ENCRYPTION_KEYS', keyRing, undefined) : undefined;
  const encryptionKeys: EncryptionKeyRing | undefined =
    ring ?? (config.encryptionKey && keyId ? { currentId: keyId, keys: new Map([[keyId, config.encryptionKey]]) } : undefined);
  const crm = {
    hubspot: {
      baseUrl: read('HUBSPOT_BASE_URL', url(['http:', 'https:']), 'http://127.0.0.1:4010'),
      clientId: read('HUBSPOT_CLIENT_ID', nonEmpty, 'conduit-sandbox-hubspot'),
      clientSecret: read('HUBSPOT_CLIENT_SECRET', secretString, 'sandbox-hubspot-secret'),
    },
    salesforce: {
      loginUrl: read('SALESFORCE_LOGIN_URL', url(['http:', 'https:']), 'http://127.0.0.1:4020'),
      clientId: read('SALESFORCE_CLIENT_ID', nonEmpty, 'conduit-sandbox-salesforce'),
      clientSecret: read('SALESFORCE_CLIENT_SECRET', secretString, 'sandbox-salesforce-secret'),
    },
    oauthRedirectBase: read('OAUTH_REDIRECT_BASE', origin, adminOrigin),
    discoveryIntervalMs: read('CRM_DISCOVERY_INTERVAL_MS', integer(60_000, 7 * 86_400_000), String(6 * 3_600_000)),
  };
  if (production && env['ENCRYPTION_KEY']?.trim() === DEV_ENCRYPTION_KEY) {
    problems.push('ENCRYPTION_KEY must not be the development default when NODE_ENV=production');
  }
  if (production && ring && [...ring.keys.values()].some((k) => k.reveal().equals(Buffer.from(DEV_ENCRYPTION_KEY, 'base64')))) {
    problems.push('ENCRYPTION_KEYS must not contain the development default when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const current = encryptionKeys?.keys.get(encryptionKeys.currentId);
  return { ...config, encryptionKey: current, encryptionKeys, crm } as AppConfig;
}

/** The single place that reads the process environment. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}

function oneOf<const T extends readonly string[]>(values: T): Parse<T[number]> {
  return (raw) => {
    if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')} (got "${raw}")`);
    return raw;
  };
}

function integer(min: number, max: number): Parse<number> {
  return (raw) => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`must be an integer between ${min} and ${max} (got "${raw}")`);
    }
    return n;
  };
}

function url(protocols: string[]): Parse<string> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new Error('must be a valid URL');
    }
    if (!protocols.includes(parsed.protocol)) throw new Error(`must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
    return raw;
  };
}

function origin(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error('must be a valid origin such as http://localhost:5173');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('must be an http(s) origin');
  return parsed.origin;
}

function pattern(re: RegExp, description: string): Parse<string> {
  return (raw) => {
    if (!re.test(raw)) throw new Error(`must contain only ${description}`);
    return raw;
  };
}

function boolean(raw: string): boolean {
  const value = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new Error(`must be true or false (got "${raw}")`);
}

/** 32 bytes, as 64 hex characters or base64. The value itself never appears in the error. */
function key32(raw: string): Secret<Buffer> {
  const bytes = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : decodeBase64(raw);
  if (bytes?.length !== 32) throw new Error('must be 32 bytes encoded as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)');
  return new Secret(bytes);
}

/** `id:key,id:key` (keys as for ENCRYPTION_KEY); the first entry encrypts, all of them decrypt. */
function keyRing(raw: string): EncryptionKeyRing {
  const keys = new Map<string, Secret<Buffer>>();
  let currentId: string | undefined;
  for (const [i, entry] of raw.split(',').map((e) => e.trim()).filter(Boolean).entries()) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`entry ${i + 1} must look like <id>:<key> with an id of letters, digits, _ or -`);
    if (keys.has(id)) throw new Error(`names key id "${id}" twice`);
    try {
      keys.set(id, key32(entry.slice(sep + 1)));
    } catch (err) {
      throw new Error(`entry ${i + 1} (${id}): ${(err as Error).message}`, { cause: err });
    }
    currentId ??= id;
  }
  if (currentId === undefined) throw new Error('must list at least one <id>:<key>');
  return { currentId, keys };
}

/** A bearer secret for the instance's operators: long enough not to be guessed, printable, no spaces. */
function operatorToken(raw: string): Secret<string> {
  if (!/^[\x21-\x7e]{32,200}$/.test(raw)) throw new Error('must be 32 to 200 printable characters without spaces (e.g. `openssl rand -base64 32`)');
  return new Secret(raw);
}

function nonEmpty(raw: string): string {
  if (raw.trim() === '') throw new Error('must not be empty');
  return raw;
}

function secretString(raw: string): Secret<string> {
  return new Secret(nonEmpty(raw));
}

function decodeBase64(raw: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) return undefined;
  return Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
}

/** For entry points: a configuration error prints its list of problems (no stack trace) and exits with status 1. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
