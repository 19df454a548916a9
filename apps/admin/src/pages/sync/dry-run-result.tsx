import { Anchor, Card, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import type { SampleDiffDto, SyncRunDto } from '../../api/sync';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { fieldLabel } from '../../lib/field-labels';
import { formatValue, RULE_LABELS } from './sync-format';

const NOUN = { person: 'person', company: 'company' } as const;

/** "Would create" / "Would update" under the record's name: a person or company by name, linked when it exists in Conduit. */
export function sampleRecordLabel(d: Pick<SampleDiffDto, 'entity' | 'name' | 'action'>): { name: string; note: string } {
  return { name: d.name ?? `Unnamed ${NOUN[d.entity]}`, note: `${d.action === 'create' ? 'New' : 'Existing'} ${NOUN[d.entity]}` };
}

function SampleRecord({ d }: { d: SampleDiffDto }) {
  const { name, note } = sampleRecordLabel(d);
  const href = d.entityId ? (d.entity === 'person' ? `/prospects/${d.entityId}` : `/companies/${d.entityId}`) : null;
  return (
    <Stack gap={0}>
      <Tooltip label={`CRM record ${d.crmId}`} withinPortal>
        {href ? (
          <Anchor component={Link} to={href} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Anchor>
        ) : (
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Text>
        )}
      </Tooltip>
      <Text size="xs" c="dimmed">
        {note}
      </Text>
    </Stack>
  );
}

const SAMPLE_COLUMNS: DataTableColumn<SampleDiffDto>[] = [
  { key: 'record', header: 'Record', cell: (d) => <SampleRecord d={d} /> },
  { key: 'field', header: 'Field', cell: (d) => fieldLabel(d.field, d.entity) },
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
