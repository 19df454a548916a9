import { ACTIVITY_DELIVERY_STATUSES, ACTIVITY_TYPES, type ActivityDeliveryStatus, type ActivityDto, type ActivityType } from '@conduit/contracts';
import { Anchor, Button, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useSearchParams } from 'react-router';
import { useActivities, useRetryActivity } from '../../api/activities';
import { isApiError } from '../../api/client';
import { usePerson } from '../../api/people';
import { useTeam } from '../../api/team';
import { ErrorState } from '../../components/error-state';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { TableSkeletonRows } from '../../components/table-skeleton';
import { formatDateTime, personName } from '../../lib/format';
import { ACTIVITY_TYPE_LABELS, activitySummary, DeliveryBadge, DELIVERY_STATUS_LABELS } from './activity-labels';

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null => (value && (values as readonly string[]).includes(value) ? (value as T) : null);

function PersonLink({ personId }: { personId: string }) {
  const person = usePerson(personId);
  return (
    <Anchor component={Link} to={`/prospects/${personId}`} size="sm">
      {person.data ? personName(person.data) : 'Prospect'}
    </Anchor>
  );
}

function ActivityRow({ activity, performer }: { activity: ActivityDto; performer: string }) {
  const retry = useRetryActivity();
  const failed = activity.deliveries.some((d) => d.status === 'failed');
  const summary = activitySummary(activity);
  return (
    <Table.Tr data-testid={`activity-${activity.id}`} data-type={activity.type}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {ACTIVITY_TYPE_LABELS[activity.type]}
        </Text>
        {summary && (
          <Text size="xs" c="dimmed" lineClamp={1} maw={280}>
            {summary}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <PersonLink personId={activity.personId} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{performer}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDateTime(activity.occurredAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          {activity.deliveries.length === 0 ? (
            <Text size="xs" c="dimmed">
              No CRM connected
            </Text>
          ) : (
            activity.deliveries.map((d) => <DeliveryBadge key={d.crm} delivery={d} showCrm={activity.deliveries.length > 1} />)
          )}
          {activity.deliveries
            .filter((d) => d.status === 'failed' && d.reason)
            .map((d) => (
              // CRM reasons can carry long unbroken tokens (HubSpot's JSON detail): wrap them inside the column.
              <Text key={d.crm} size="xs" c="red.7" maw={320} style={{ overflowWrap: 'anywhere' }}>
                {d.reason}
              </Text>
            ))}
        </Stack>
      </Table.Td>
      <Table.Td>
        {failed && (
          <Button
            size="xs"
            variant="default"
            loading={retry.isPending}
            onClick={() =>
              retry.mutate(activity.id, {
                onSuccess: () => notifications.show({ color: 'teal', message: 'Queued for logging again' }),
                onError: (e) => notifications.show({ color: 'red', title: 'Retry failed', message: isApiError(e) ? e.message : String(e) }),
              })
            }
          >
            Retry
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Every activity the outbound engine reported, with where it stands in each connected CRM. */
export function ActivityLogPage() {
  const [params, setParams] = useSearchParams();
  const type = oneOf<ActivityType>(ACTIVITY_TYPES, params.get('type'));
  const status = oneOf<ActivityDeliveryStatus>(ACTIVITY_DELIVERY_STATUSES, params.get('status'));
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.max(1, Number(params.get('pageSize')) || 25);
  const activities = useActivities({ type, status, page, pageSize });
  const team = useTeam();
  const memberName = (id: string | null) => (id ? (team.data?.find((m) => m.id === id)?.name ?? 'Unknown member') : '—');

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };

  const filtered = type !== null || status !== null;

  return (
    <>
      <PageHeader title="Activity" description="Outbound activity reported by your engine and where it stands on each CRM timeline." />
      <Group mb="md" gap="sm">
        <Select
          aria-label="Filter by type"
          placeholder="All types"
          clearable
          w={240}
          data={ACTIVITY_TYPES.map((t) => ({ value: t, label: ACTIVITY_TYPE_LABELS[t] }))}
          value={type}
          onChange={(v) => update({ type: v, page: null })}
        />
        <Select
          aria-label="Filter by status"
          placeholder="All statuses"
          clearable
          w={240}
          data={ACTIVITY_DELIVERY_STATUSES.map((s) => ({ value: s, label: DELIVERY_STATUS_LABELS[s] }))}
          value={status}
          onChange={(v) => update({ status: v, page: null })}
        />
      </Group>
      <Card padding={0}>
        {activities.error ? (
          <ErrorState error={activities.error} onRetry={() => void activities.refetch()} />
        ) : activities.data && activities.data.total === 0 ? (
          <Stack p="xl" align="center" gap={4} data-testid="activity-empty">
            <Text fw={600}>{filtered ? 'No activity matches these filters' : 'No activity yet'}</Text>
            <Text size="sm" c="dimmed">
              {filtered
                ? 'Clear a filter to see more.'
                : 'Activities appear here as soon as your outbound engine reports them through POST /api/activities.'}
            </Text>
          </Stack>
        ) : (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="sm" aria-label="Activity log" aria-busy={activities.isFetching}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Person</Table.Th>
                    <Table.Th>Performed by</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {activities.data ? (
                    activities.data.items.map((a) => <ActivityRow key={a.id} activity={a} performer={memberName(a.performerUserId)} />)
                  ) : (
                    <TableSkeletonRows columns={6} />
                  )}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {activities.data && (
              <ListFooter
                page={page}
                pageSize={pageSize}
                total={activities.data.total}
                noun="activities"
                onPage={(p) => update({ page: String(p) })}
                onPageSize={(s) => update({ pageSize: String(s), page: null })}
              />
            )}
          </>
        )}
      </Card>
    </>
  );
}
