import { Card, Skeleton, Stack, Text, Timeline } from '@mantine/core';
import { IconActivity } from '@tabler/icons-react';
import { usePersonActivities } from '../../api/activities';
import { isApiError } from '../../api/client';
import { formatDateTime } from '../../lib/format';
import { ACTIVITY_TYPE_LABELS, activitySummary, DeliveryBadge } from '../activity/activity-labels';

/** The person's activities as Conduit sees them, newest first, with where each stands in the CRM. */
export function PersonActivityTimeline({ personId }: { personId: string }) {
  const activities = usePersonActivities(personId);
  const items = activities.data ? [...activities.data].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)) : [];
  return (
    <Card padding="lg" data-testid="person-activity">
      <Text fw={600} mb="md">
        Activity
      </Text>
      {activities.isPending ? (
        <Stack gap="sm">
          <Skeleton h={14} />
          <Skeleton h={14} w="70%" />
        </Stack>
      ) : activities.error ? (
        <Text size="sm" c="red">
          {isApiError(activities.error) ? activities.error.message : 'Could not load the activity.'}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No activity reported for this person yet.
        </Text>
      ) : (
        <Timeline bulletSize={22} lineWidth={2} active={items.length}>
          {items.map((a) => {
            const summary = activitySummary(a);
            return (
              <Timeline.Item key={a.id} bullet={<IconActivity size={12} />} title={ACTIVITY_TYPE_LABELS[a.type]} data-type={a.type}>
                {summary && (
                  <Text size="sm" lineClamp={2} title={summary}>
                    {summary}
                  </Text>
                )}
                <Text size="xs" c="dimmed" mb={4}>
                  {formatDateTime(a.occurredAt)}
                </Text>
                <Stack gap={4}>
                  {a.deliveries.map((d) => (
                    <DeliveryBadge key={d.crm} delivery={d} showCrm />
                  ))}
                </Stack>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Card>
  );
}
