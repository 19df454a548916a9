import { WORKFLOW_KINDS, type WorkflowDto, type WorkflowKind } from '@conduit/contracts';
import { Badge, Button, Card, Group, Select, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useWorkflowCounts, useWorkflows, workflowSlug } from '../../api/workflows';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { LatencyChart } from './latency-chart';
import { PausedWorkflowsAlert } from './paused-workflows-alert';
import { WORKFLOW_INFO, formatMs } from './workflow-form';

export function WorkflowStatusBadge({ wf }: { wf: WorkflowDto }) {
  if (wf.enabled && wf.status === 'paused')
    return (
      <Badge color="orange" variant="light" radius="sm" data-testid="workflow-status">
        Paused
      </Badge>
    );
  return (
    <Badge color={wf.enabled ? 'teal' : 'gray'} variant="light" radius="sm" data-testid="workflow-status">
      {wf.enabled ? 'Enabled' : 'Disabled'}
    </Badge>
  );
}

function Stat({ label, value, color }: { label: string; value: string | number; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} c={color}>
        {value}
      </Text>
    </div>
  );
}

export function WorkflowCounts({ kind }: { kind: WorkflowKind }) {
  const counts = useWorkflowCounts(kind);
  if (counts.isPending) return <Skeleton h={38} />;
  if (counts.isError)
    return (
      <Text size="xs" c="red">
        Counts unavailable
      </Text>
    );
  const c = counts.data.counts;
  return (
    <Group gap="lg" data-testid={`workflow-counts-${kind}`}>
      <Stat label="Succeeded" value={c.success} color="teal" />
      <Stat label="Filtered / skipped" value={c.filtered + c.skipped + c.ignored_echo} />
      <Stat label="Needs attention" value={c.needs_attention} color={c.needs_attention ? 'orange' : undefined} />
      <Stat label="Failed" value={c.failed} color={c.failed ? 'red' : undefined} />
      <Stat label="p50 / p95" value={`${formatMs(counts.data.latency.p50Ms)} / ${formatMs(counts.data.latency.p95Ms)}`} />
    </Group>
  );
}

function WorkflowCard({ wf }: { wf: WorkflowDto }) {
  const info = WORKFLOW_INFO[wf.kind];
  const slug = workflowSlug(wf.kind);
  return (
    <Card padding="lg" withBorder data-testid={`workflow-card-${wf.kind}`}>
      <Stack gap="sm" h="100%" justify="space-between">
        <Stack gap="xs">
          <Group justify="space-between" align="flex-start">
            <Text fw={600}>{info.name}</Text>
            <WorkflowStatusBadge wf={wf} />
          </Group>
          <Text size="sm" c="dimmed">
            {info.description}
          </Text>
          {wf.status === 'paused' && wf.pausedReason && (
            <Text size="xs" c="orange">
              {wf.pausedReason}
            </Text>
          )}
        </Stack>
        <WorkflowCounts kind={wf.kind} />
        <Group gap="sm">
          <Button component={Link} to={`/workflows/${slug}`} variant="default" size="xs">
            Configure {info.name}
          </Button>
          <Button component={Link} to={`/workflows/${slug}?tab=runs`} variant="subtle" size="xs">
            Run log
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** The HubSpot ↔ Salesforce workflows: status, counts, latency; each opens its editor and run log. */
export function WorkflowsPage() {
  const workflows = useWorkflows();
  const [chartKind, setChartKind] = useState<WorkflowKind>('mql_handoff');
  return (
    <>
      <PageHeader title="Workflows" description="HubSpot ↔ Salesforce automations that run within seconds of a change, with no ping-pong between the CRMs." />
      <Stack gap="lg">
        <PausedWorkflowsAlert />
        {workflows.isPending ? (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {WORKFLOW_KINDS.map((k) => (
              <Skeleton key={k} h={200} radius="md" />
            ))}
          </SimpleGrid>
        ) : workflows.isError ? (
          <ErrorState error={workflows.error} title="Could not load workflows" onRetry={() => void workflows.refetch()} />
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {workflows.data.map((wf) => (
              <WorkflowCard key={wf.kind} wf={wf} />
            ))}
          </SimpleGrid>
        )}
        <Stack gap="xs">
          <Select
            label="Latency of"
            data={WORKFLOW_KINDS.map((k) => ({ value: k, label: WORKFLOW_INFO[k].name }))}
            value={chartKind}
            onChange={(v) => v && setChartKind(v)}
            allowDeselect={false}
            w={260}
          />
          <LatencyChart kind={chartKind} title={`${WORKFLOW_INFO[chartKind].name}: latency over time`} />
        </Stack>
      </Stack>
    </>
  );
}
