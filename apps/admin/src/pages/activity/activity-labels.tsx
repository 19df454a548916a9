import type { ActivityDeliveryDto, ActivityDeliveryStatus, ActivityDto, ActivityType, CrmKind } from '@conduit/contracts';
import { Anchor, Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { formatIn, formatTimeOfDay } from '../../lib/format';
import { formatResumeTime } from '../settings/api-budget/budget-format';
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

/** A next try further off than this is named by its time of day too ("next try at 00:00 (in 3 h 12 min)"). */
const NAMED_TIME_AFTER_MS = 10 * 60_000;

/**
 * Why a pending delivery waits, in words: "HubSpot answered 500: internal error · failing since 10:32 — next try in
 * 2 min"; "Waiting: daily HubSpot API allocation spent — next try at 00:00 (in 3 h 12 min)".
 */
export function waitingText(waiting: NonNullable<ActivityDeliveryDto['waiting']>, now: Date = new Date()): string {
  const since = waiting.failingSince ? ` · failing since ${formatTimeOfDay(waiting.failingSince, now)}` : '';
  const far = waiting.nextAttemptAt !== null && new Date(waiting.nextAttemptAt).getTime() - now.getTime() >= NAMED_TIME_AFTER_MS;
  const next = waiting.nextAttemptAt ? (far ? `next try at ${formatResumeTime(waiting.nextAttemptAt, now)}` : `next try ${formatIn(waiting.nextAttemptAt, now)}`) : 'trying again now';
  return `${waiting.reason}${since} — ${next}`;
}

/** One delivery: a status badge (the CRM's reason in a tooltip when failed, why it waits when held up) and a link to the record once logged. */
export function DeliveryBadge({ delivery, showCrm }: { delivery: ActivityDeliveryDto; showCrm: boolean }) {
  const waiting = delivery.status === 'pending' ? delivery.waiting : null;
  // Held by the CRM (failing) or by the daily API budget (Conduit's allocation or the CRM's daily limit spent).
  const label = waiting ? (waiting.cause === 'api_budget' ? 'Waiting for API budget' : `Waiting on ${CRM_NAMES[delivery.crm]}`) : DELIVERY_STATUS_LABELS[delivery.status];
  const text = showCrm && !waiting ? `${CRM_NAMES[delivery.crm]}: ${label}` : label;
  const badge = (
    <Badge variant="light" color={waiting ? 'orange' : STATUS_COLORS[delivery.status]} radius="sm" data-testid={`delivery-${delivery.crm}`} data-status={delivery.status}>
      {text}
    </Badge>
  );
  if (waiting) {
    return (
      <Stack gap={2}>
        {badge}
        <Text size="xs" c="dimmed" data-testid={`delivery-${delivery.crm}-waiting`}>
          {waitingText(waiting)}
        </Text>
      </Stack>
    );
  }
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
