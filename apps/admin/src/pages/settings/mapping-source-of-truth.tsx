import type { SourceOfTruthDto } from '@conduit/contracts';
import { Alert, Badge, Stack, Table, Text } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import { ChoiceSelect } from '../../components/table-cells';
import { CRM_LABELS, OTHERS_OPTIONS, sourceExplanation, sourceOptions, type SourceDraft } from './mapping-draft';

interface SourceOfTruthTableProps {
  sot: SourceOfTruthDto;
  draft: SourceDraft;
  setDraft: Dispatch<SetStateAction<SourceDraft>>;
  /** Rules named by a refused save, by Conduit field. */
  errors: Record<string, string[]>;
}

/**
 * "Where does each value come from?" when several CRMs are connected: per Conduit field, the CRM whose value wins (or the
 * most recent change, or Conduit's own), and what the other CRMs may do. Shared by both CRMs' mapping dialogs: the
 * choice is the workspace's, not one connection's.
 */
export function SourceOfTruthTable({ sot, draft, setDraft, errors }: SourceOfTruthTableProps) {
  if (!sot.active) {
    return (
      <Text size="xs" c="dimmed" data-testid="source-of-truth-inactive">
        Only {sot.connected.map((c) => CRM_LABELS[c]).join(' and ') || 'one CRM'} is connected: each field's import priority below decides between the CRM and Conduit. Connect a
        second CRM to choose, per field, which one is the source of truth.
      </Text>
    );
  }
  const options = sourceOptions(sot.connected);
  return (
    <Stack gap="xs" data-testid="source-of-truth">
      <Alert variant="light" color="blue" title="Source of truth">
        {sot.connected.map((c) => CRM_LABELS[c]).join(' and ')} are both connected. For each field, choose where its value comes from; the other CRM only fills the field when it
        is blank, or never writes it. Values Conduit itself wrote to a CRM are never read back as a change. By default {CRM_LABELS[sot.connected[0]!]}, connected first, is the
        source. Saving re-applies a changed choice to the people and companies already imported; “Preview changes” shows what it would change first.
      </Alert>
      <Table.ScrollContainer minWidth={860} type="native">
        <Table verticalSpacing={6} aria-label="Source of truth">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="24%">Conduit field</Table.Th>
              <Table.Th w="26%">Value comes from</Table.Th>
              <Table.Th w="20%">Other CRMs</Table.Th>
              <Table.Th>What happens</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sot.fields.map((f) => {
              const choice = draft[f.conduitField] ?? { source: f.source, others: f.others };
              const set = (patch: Partial<typeof choice>) => setDraft((d) => ({ ...d, [f.conduitField]: { ...choice, ...patch } }));
              const isCrm = choice.source === 'hubspot' || choice.source === 'salesforce';
              const fieldErrors = errors[f.conduitField] ?? [];
              return (
                <Table.Tr key={f.conduitField} data-testid={`source-row-${f.conduitField}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {f.label}
                    </Text>
                    {f.isDefault && choice.source === f.source && choice.others === f.others && (
                      <Badge size="xs" variant="light" color="gray" styles={{ label: { overflow: 'visible' } }}>
                        Default
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ChoiceSelect label={`Source of truth for ${f.label}`} data={options} value={choice.source} onChange={(source) => set({ source })} error={fieldErrors.length ? fieldErrors.join(' ') : undefined} />
                  </Table.Td>
                  <Table.Td>
                    <ChoiceSelect label={`Other CRMs for ${f.label}`} data={OTHERS_OPTIONS} value={isCrm ? choice.others : 'fill_blanks'} onChange={(others) => set({ others })} disabled={!isCrm} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {sourceExplanation(choice, sot.connected)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
