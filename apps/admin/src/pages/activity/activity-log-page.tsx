import { ACTIVITY_DELIVERY_STATUSES, ACTIVITY_TYPES, type ActivityDeliveryStatus, type ActivityDto, type ActivityType } from '@conduit/contracts';
import { Anchor, Box, Button, Card, Group, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useSearchParams } from 'react-router';
import { useActivities, useRetryActivity } from '../../api/activities';
import { isApiError } from '../../api/client';
import { usePerson } from '../../api/people';
import { useTeam } from '../../api/team';
import { DataTable, dateColumn, type DataTableColumn } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { personName } from '../../lib/format';
import { ACTIVITY_TYPE_LABELS, activitySummary, DeliveryBadge, DELIVERY_STATUS_LABELS } from './activity-labels';
import { ConsentDeliveriesCard } from './consent-deliveries';

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null => (value && (values as readonly string[]).includes(value) ? (value as T) : null);

function PersonLink({ personId }: { personId: string }) {
  const person = usePerson(personId);
  return (
    <Anchor component={Link} to={`/prospects/${personId}`} size="sm">
      {person.data ? personName(person.data) : 'Prospect'}
    </Anchor>
  );
}

function RetryActivityButton({ activity }: { activity: ActivityDto }) {
  const retry = useRetryActivity();
  if (!activity.deliveries.some((d) => d.status === 'failed')) return null;
  return (
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
  );
}

function DeliveryCell({ activity }: { activity: ActivityDto }) {
  return (
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
  );
}

function activityColumns(memberName: (id: string | null) => string): DataTableColumn<ActivityDto>[] {
  return [
    {
      key: 'type',
      header: 'Type',
      cell: (activity) => {
        const summary = activitySummary(activity);
        return (
          <>
            <Text size="sm" fw={500}>
              {ACTIVITY_TYPE_LABELS[activity.type]}
            </Text>
            {summary && (
              <Text size="xs" c="dimmed" lineClamp={1} maw={280} title={summary}>
                {summary}
              </Text>
            )}
          </>
        );
      },
    },
    { key: 'person', header: 'Person', cell: (activity) => <PersonLink personId={activity.personId} /> },
    { key: 'performer', header: 'Performed by', cell: (activity) => <Text size="sm">{memberName(activity.performerUserId)}</Text> },
    dateColumn('when', 'When', (activity) => activity.occurredAt, { time: true }),
    { key: 'status', header: 'Status', cell: (activity) => <DeliveryCell activity={activity} /> },
    { key: 'actions', cell: (activity) => <RetryActivityButton activity={activity} /> },
  ];
}

/** Where reported work comes from, for an empty list: the engine and its API key, not the route it posts to. */
const ENGINE_REPORTS = (what: string) => `${what} appear here as soon as your outbound engine reports them. It connects to Conduit with an API key (Settings → Team).`;

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
        <DataTable
          label="Activity log"
          columns={activityColumns(memberName)}
          rows={activities.data?.items}
          rowKey={(a) => a.id}
          rowProps={(a) => ({ 'data-testid': `activity-${a.id}`, 'data-type': a.type })}
          busy={activities.isFetching}
          error={activities.error}
          onRetry={() => void activities.refetch()}
          empty={{
            title: filtered ? 'No activity matches these filters' : 'No activity yet',
            description: filtered ? 'Clear a filter to see more.' : ENGINE_REPORTS('Activities'),
            testId: 'activity-empty',
          }}
          minWidth={900}
          pagination={
            activities.data && {
              page,
              pageSize,
              total: activities.data.total,
              noun: 'activities',
              onPage: (p) => update({ page: String(p) }),
              onPageSize: (s) => update({ pageSize: String(s), page: null }),
            }
          }
        />
      </Card>
      <Box mt="lg">
        <ConsentDeliveriesCard
          title="Opt-outs and bounces"
          description="Unsubscribes, hard bounces and spam complaints your engine reported, and whether each CRM has them. Conduit writes these whatever your export settings say."
          emptyTitle="No opt-outs or bounces yet"
          emptyDescription={ENGINE_REPORTS('They')}
        />
      </Box>
    </>
  );
}
