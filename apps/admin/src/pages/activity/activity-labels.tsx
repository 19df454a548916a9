import type { ActivityDeliveryDto, ActivityDeliveryStatus, ActivityDto, ActivityType, CrmKind } from '@conduit/contracts';
import { Anchor, Badge, Group, Tooltip } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  email_sent: 'Email sent',
  email_reply: 'Email reply',
  linkedin_message: 'LinkedIn message',
  linkedin_connection_request: 'LinkedIn connection request',
  call: 'Call',
  meeting: 'Meeting',
  note: 'Note',
  task: 'Task',
};

export const DELIVERY_STATUS_LABELS: Record<ActivityDeliveryStatus, string> = {
  pending: 'Logging…',
  logged: 'Logged',
  waiting_for_export: 'Waiting for export',
  not_synced_type_off: 'Not synced (type off)',
  failed: 'Failed',
};

const STATUS_COLORS: Record<ActivityDeliveryStatus, string> = {
  pending: 'blue',
  logged: 'teal',
  waiting_for_export: 'yellow',
  not_synced_type_off: 'gray',
  failed: 'red',
};

const CRM_NAMES: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** A short line of what the activity was: its subject, title or the start of its body. */
export function activitySummary(activity: ActivityDto): string {
  const d = activity.details;
  for (const key of ['subject', 'title', 'body', 'bodyText', 'notes']) {
    const value = d[key];
    if (typeof value === 'string' && value.trim()) return value.length > 120 ? `${value.slice(0, 117)}…` : value;
  }
  return '';
}

/** One delivery: a status badge (the CRM's reason in a tooltip when failed) and a link to the record once logged. */
export function DeliveryBadge({ delivery, showCrm }: { delivery: ActivityDeliveryDto; showCrm: boolean }) {
  const text = `${showCrm ? `${CRM_NAMES[delivery.crm]}: ` : ''}${DELIVERY_STATUS_LABELS[delivery.status]}`;
  const badge = (
    <Badge variant="light" color={STATUS_COLORS[delivery.status]} radius="sm" data-testid={`delivery-${delivery.crm}`} data-status={delivery.status}>
      {text}
    </Badge>
  );
  return (
    <Group gap={6} wrap="nowrap">
      {delivery.status === 'failed' && delivery.reason ? (
        <Tooltip label={delivery.reason} multiline w={320} withArrow>
          {badge}
        </Tooltip>
      ) : (
        badge
      )}
      {delivery.status === 'logged' && delivery.recordUrl && (
        <Anchor href={delivery.recordUrl} target="_blank" rel="noreferrer" size="xs" aria-label={`Open in ${CRM_NAMES[delivery.crm]}`}>
          <Group gap={2} component="span" wrap="nowrap">
            Open in {CRM_NAMES[delivery.crm]}
            <IconExternalLink size={12} />
          </Group>
        </Anchor>
      )}
    </Group>
  );
}
