import { createHmac } from 'node:crypto';
import type { StoreEvent } from './store.js';

export type WebhookSubscriptionType = 'contact.creation' | 'contact.propertyChange' | 'contact.deletion';

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: WebhookSubscriptionType;
  attemptNumber: number;
  objectId: number;
  propertyName?: string;
  propertyValue?: string;
  changeSource: string;
}

export interface WebhookConfig {
  /** Where events are POSTed; nothing is sent while unset. */
  targetUrl?: string;
  /** The app's client secret used for the v3 signature. */
  clientSecret: string;
  appId: number;
  /** Events per POST (HubSpot sends up to 100). */
  batchSize: number;
  /** Events are collected this long before a batch is sent. */
  flushMs: number;
  /** Total attempts per batch, including the first. */
  maxAttempts: number;
  /** Backoff before retry n is retryBaseMs × 2^(n-1). */
  retryBaseMs: number;
  /** Only these properties raise propertyChange events; all non-system properties when empty. */
  propertyNames: string[];
}

export interface WebhookDelivery {
  at: number;
  url: string;
  attemptNumber: number;
  events: number;
  status: number | 'error';
  error?: string;
}

const SUBSCRIPTION_IDS: Record<WebhookSubscriptionType, number> = {
  'contact.creation': 3_100_001,
  'contact.propertyChange': 3_100_002,
  'contact.deletion': 3_100_003,
};

// HubSpot-maintained properties that change on every write; subscribing to them is noise.
const SYSTEM_PROPERTIES = new Set(['lastmodifieddate', 'hs_lastmodifieddate', 'hs_object_id', 'createdate', 'hs_email_domain',
  'hubspot_owner_assigneddate', 'hs_calculated_phone_number']);

/** HubSpot's v3 signature: base64(HMAC-SHA256(secret, method + uri + body + timestamp)). */
export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`).digest('base64');
}

/** Turns contact changes into HubSpot webhook batches, signs them and retries failed deliveries with backoff. */
export class WebhookDispatcher {
  private queue: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private nextEventId = 1;
  readonly deliveries: WebhookDelivery[] = [];
  private stopped = false;

  constructor(
    public config: WebhookConfig,
    private readonly portalId: number,
  ) {}

  handle(event: StoreEvent): void {
    if (this.config.targetUrl === undefined || this.config.targetUrl === '' || event.type !== 'contacts' || event.source === 'IMPORT') return;
    const base = { portalId: this.portalId, appId: this.config.appId, occurredAt: event.at, attemptNumber: 0, objectId: Number(event.id), changeSource: event.source === 'INTEGRATION' ? 'INTEGRATION' : 'CRM_UI' };
    switch (event.kind) {
      case 'created':
        this.push({ ...base, eventId: this.nextEventId++, subscriptionId: SUBSCRIPTION_IDS['contact.creation'], subscriptionType: 'contact.creation' });
        break;
      case 'updated':
        for (const [name, value] of event.changes) {
          if (!this.wants(name)) continue;
          this.push({ ...base, eventId: this.nextEventId++, subscriptionId: SUBSCRIPTION_IDS['contact.propertyChange'], subscriptionType: 'contact.propertyChange', propertyName: name, propertyValue: value });
        }
        break;
      case 'archived':
        this.push({ ...base, eventId: this.nextEventId++, subscriptionId: SUBSCRIPTION_IDS['contact.deletion'], subscriptionType: 'contact.deletion' });
        break;
    }
  }

  private wants(name: string): boolean {
    if (this.config.propertyNames.length > 0) return this.config.propertyNames.includes(name);
    return !SYSTEM_PROPERTIES.has(name) && !name.startsWith('hs_lifecyclestage_');
  }

  private push(event: WebhookEvent): void {
    this.queue.push(event);
    if (this.queue.length >= this.config.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.config.flushMs);
  }

  /** Send what is queued now (tests call it through control.flushWebhooks()). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.config.batchSize);
      this.track(this.send(batch, 1));
    }
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async send(batch: WebhookEvent[], attempt: number): Promise<void> {
    const url = this.config.targetUrl;
    if (url === undefined || this.stopped) return;
    const events = batch.map((e) => ({ ...e, attemptNumber: attempt - 1 }));
    const body = JSON.stringify(events);
    const timestamp = Date.now();
    const signature = signV3(this.config.clientSecret, 'POST', url, body, timestamp);
    let status: number | 'error';
    let error: string | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': signature,
          'x-hubspot-request-timestamp': String(timestamp),
          'x-hubspot-signature-version': 'v3',
          'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (conduit-sandbox)',
        },
        body,
        signal: AbortSignal.timeout(5000),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      status = 'error';
      error = err instanceof Error ? err.message : String(err);
    }
    this.deliveries.push({ at: timestamp, url, attemptNumber: attempt - 1, events: batch.length, status, ...(error !== undefined ? { error } : {}) });
    if (this.deliveries.length > 1000) this.deliveries.shift();
    const ok = typeof status === 'number' && status >= 200 && status < 300;
    if (!ok && attempt < this.config.maxAttempts && !this.stopped) {
      const delay = this.config.retryBaseMs * 2 ** (attempt - 1);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.retryTimers.delete(t);
          resolve();
        }, delay);
        this.retryTimers.add(t);
      });
      await this.send(batch, attempt + 1);
    }
  }

  /** Resolves when every queued and in-flight delivery (with its retries) has finished. */
  async idle(): Promise<void> {
    this.flush();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.queue = [];
  }

  clear(): void {
    this.queue = [];
    this.deliveries.length = 0;
  }
}
