import type { ForecastDto, SyncObject } from '@conduit/contracts';
import { Alert, Anchor, Card, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { isApiError } from '../../../api/client';
import { objectLabel } from '../../sync/sync-format';
import { budgetSentence, formatCount, formatDuration, formatShare, paceLabel } from './budget-format';

const SYNC_OBJECTS: readonly string[] = ['company', 'contact', 'lead', 'deal', 'owner', 'list'];

function recordsLine(f: ForecastDto): string {
  const parts = f.recordsByObject.map((o) => {
    const label = o.object === 'person' ? 'people' : o.object === 'member' ? 'list members' : SYNC_OBJECTS.includes(o.object) ? objectLabel(f.crm, o.object as SyncObject).toLowerCase() : o.object;
    return `${formatCount(o.records)} ${label}`;
  });
  return parts.length > 1 ? `${formatCount(f.records)} records: ${parts.join(', ')}` : (parts[0] ?? '0 records');
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

/**
 * What the work will cost before the admin confirms it: API calls, time, the share of what Conduit may still use
 * today, and where the daily allocation would pause it. `pending` while the forecast is computed; `error` when it
 * could not be (the admin may still go ahead).
 */
export function ForecastPanel({ forecast, pending, error }: { forecast: ForecastDto | undefined; pending: boolean; error: unknown }) {
  if (pending) {
    return (
      <Group gap="xs" data-testid="forecast-pending">
        <Loader size="xs" />
        <Text size="sm">Counting the records and estimating the API calls…</Text>
      </Group>
    );
  }
  if (error || !forecast) {
    return (
      <Alert color="gray" variant="light" title="No forecast" data-testid="forecast-error">
        {isApiError(error) ? error.message : 'The cost of this work could not be estimated.'} You can still go ahead.
      </Alert>
    );
  }
  const budget = budgetSentence(forecast);
  return (
    <Stack gap="xs" data-testid="forecast">
      <Text size="sm" fw={600}>
        What this will cost
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Figure label="API calls" value={`about ${formatCount(forecast.expectedCalls)}`} testId="forecast-calls" />
        <Figure label="Time" value={`about ${formatDuration(forecast.expectedSeconds)}`} testId="forecast-time" />
        <Figure
          label="Share of today's remaining allocation"
          value={forecast.shareOfRemaining === null ? 'unknown' : formatShare(forecast.shareOfRemaining)}
          testId="forecast-share"
        />
      </SimpleGrid>
      <Text size="sm" data-testid="forecast-records">
        {recordsLine(forecast)}.
      </Text>
      {forecast.pause ? (
        <Alert color="yellow" variant="light" title="It will not finish today" data-testid="forecast-pause">
          {budget}
        </Alert>
      ) : budget ? (
        <Text size="sm" data-testid="forecast-budget">
          {budget}
        </Text>
      ) : (
        <Text size="sm" c="dimmed" data-testid="forecast-budget">
          The account's daily API limit is not known (the CRM has not reported it), so no daily allocation applies and Conduit cannot say what share of
          the day this takes. An admin can enter the limit under{' '}
          <Anchor component={Link} to="/settings/api-budget" inherit>
            Settings → API budget
          </Anchor>
          .
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {paceLabel(forecast)}
      </Text>
    </Stack>
  );
}
