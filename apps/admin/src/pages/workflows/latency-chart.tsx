import '@mantine/charts/styles.css';
import { LATENCY_WINDOWS, type LatencyWindow, type WorkflowKind } from '@conduit/contracts';
import { LineChart } from '@mantine/charts';
import { Card, Center, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useWorkflowLatency } from '../../api/workflows';
import { ErrorState } from '../../components/error-state';
import { formatMs } from './workflow-form';

const WINDOW_LABELS: Record<LatencyWindow, string> = { '1h': 'Last hour', '24h': 'Last 24 h', '7d': 'Last 7 days' };

function bucketLabel(at: string, window: LatencyWindow): string {
  const d = new Date(at);
  return window === '7d' ? d.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' }) : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** p50 / p95 latency (change in the CRM → write done) of successful runs per time bucket. */
export function LatencyChart({ kind, title = 'Latency over time' }: { kind: WorkflowKind; title?: string }) {
  const [window, setWindow] = useState<LatencyWindow>('24h');
  const latency = useWorkflowLatency(kind, window);
  const points = latency.data?.points ?? [];
  const data = points.map((p) => ({ at: bucketLabel(p.at, window), p50: p.p50Ms, p95: p.p95Ms, runs: p.runs }));
  return (
    <Card padding="lg" withBorder data-testid={`latency-chart-${kind}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={4}>{title}</Title>
            <Text size="xs" c="dimmed">
              p50 and p95 of successful runs, from the change in the CRM to the write
            </Text>
          </div>
          <SegmentedControl size="xs" value={window} onChange={(v) => setWindow(v)} data={LATENCY_WINDOWS.map((w) => ({ value: w, label: WINDOW_LABELS[w] }))} />
        </Group>
        {latency.isPending ? (
          <Center h={200}>
            <Loader size="sm" />
          </Center>
        ) : latency.isError ? (
          <ErrorState error={latency.error} title="Could not load latency" onRetry={() => void latency.refetch()} />
        ) : data.length === 0 ? (
          <Center h={200}>
            <Text size="sm" c="dimmed">
              No successful runs in this window yet.
            </Text>
          </Center>
        ) : (
          <LineChart
            h={220}
            data={data}
            dataKey="at"
            withLegend
            valueFormatter={(v) => formatMs(v)}
            series={[
              { name: 'p50', label: 'p50', color: 'teal.6' },
              { name: 'p95', label: 'p95', color: 'orange.6' },
            ]}
          />
        )}
      </Stack>
    </Card>
  );
}
