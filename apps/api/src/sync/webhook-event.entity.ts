import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Delivered webhook events by id: HubSpot retries and duplicates deliveries, each event is enqueued once. */
@Entity('sync_webhook_event')
export class WebhookEvent {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_sync_webhook_event' })
  eventKey: string;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
