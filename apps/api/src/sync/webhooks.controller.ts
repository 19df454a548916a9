import { Controller, HttpCode, Inject, Optional, Post, Req, UnauthorizedException, BadRequestException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import { verifyHubspotWebhook } from '@conduit/crm';
import type { Request } from 'express';
import { Public } from '../auth/decorators.js';
import { OutboxService } from '../queues/outbox.service.js';
import { HUBSPOT_CHANGE_LISTENER, type HubspotChangeListener } from './hubspot-change-listener.js';
import { groupHubspotEvents, parseHubspotEvents } from './hubspot-webhook.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionPort } from './sync-connection.port.js';
import { SyncService } from './sync.service.js';

/**
 * CRM webhooks: verify, dedupe, enqueue, answer. Nothing is read from the CRM here, so HubSpot gets its answer
 * well within its timeout and retries only real failures.
 */
@ApiExcludeController()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    @Inject(SYNC_CONNECTION_PORT) private readonly connections: SyncConnectionPort,
    private readonly outbox: OutboxService,
    private readonly sync: SyncService,
    @Optional() @Inject(HUBSPOT_CHANGE_LISTENER) private readonly changeListener?: HubspotChangeListener,
  ) {}

  @Public()
  @Post('hubspot')
  @HttpCode(204)
  async hubspot(@Req() req: RawBodyRequest<Request>): Promise<void> {
    const rawBody = req.rawBody?.toString('utf8') ?? '';
    const url = `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
    const verdict = verifyHubspotWebhook({ method: req.method, url, rawBody, headers: req.headers }, this.connections.hubspotWebhookSecret());
    if (!verdict.ok) throw new UnauthorizedException(`Webhook rejected: ${verdict.reason}`);
    const events = parseHubspotEvents(req.body);
    if (!events) throw new BadRequestException('Expected an array of HubSpot events');
    // Workflows (MQL handoff, email change) react to property changes; they dedupe by event id themselves.
    await this.changeListener?.onHubspotEvents(events);

    for (const batch of groupHubspotEvents(events)) {
      const targets = (await this.connections.findByAccount('hubspot', batch.portalId)).filter((c) => c.usable && c.settings.importEnabled);
      await this.outbox.transaction(async (tx) => {
        // Dedupe inside the transaction: a concurrent duplicate delivery waits on the primary key, then sees the rows.
        const fresh = await tx.manager.query<{ event_key: string }[]>(
          `INSERT INTO sync_webhook_event (event_key) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING event_key`,
          [batch.eventKeys],
        );
        if (fresh.length === 0) return;
        for (const connection of targets) await this.sync.startWebhookRun(tx, connection, batch.object, batch.ids, batch.deletedIds);
      });
    }
  }
}
