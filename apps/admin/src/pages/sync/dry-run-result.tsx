import { Card, SimpleGrid, Text } from '@mantine/core';
import type { SampleDiffDto, SyncRunDto } from '../../api/sync';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { formatValue, RULE_LABELS } from './sync-format';

const SAMPLE_COLUMNS: DataTableColumn<SampleDiffDto>[] = [
  { key: 'record', header: 'Record', cell: (d) => `${d.entity} ${d.crmId} (${d.action})` },
  { key: 'field', header: 'Field', cell: (d) => d.field },
  { key: 'change', header: 'Old → new', cell: (d) => `${formatValue(d.from)} → ${formatValue(d.to)}` },
  { key: 'rule', header: 'Rule', cell: (d) => RULE_LABELS[d.rule] ?? d.rule },
];

/** What a finished dry run found: would create / update / unchanged / failed, and a sample of field diffs (old → new, rule). */
export function DryRunResult({ run }: { run: SyncRunDto }) {
  return (
    <>
      <SimpleGrid cols={4} data-testid="dry-run-counts">
        {(['created', 'updated', 'unchanged', 'failed'] as const).map((k) => (
          <Card key={k} withBorder padding="sm">
            <Text size="xs" c="dimmed" tt="capitalize">
              {k === 'created' ? 'Would create' : k === 'updated' ? 'Would update' : k}
            </Text>
            <Text fw={700} size="xl" data-testid={`dry-run-${k}`}>
              {run.counts[k].toLocaleString('en')}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <DataTable
        label="Sample field changes"
        columns={SAMPLE_COLUMNS}
        rows={run.sample ?? []}
        rowKey={(d, i) => `${d.crmId}-${d.field}-${i}`}
        rowProps={() => ({ 'data-testid': 'sample-diff' })}
        empty={
          <Text size="sm" c="dimmed">
            No field would change.
          </Text>
        }
        minWidth={640}
        verticalSpacing="xs"
        fz="xs"
      />
    </>
  );
}
