import type { ConnectionMappingDto, CrmKind, StatusMappingDto } from '@conduit/contracts';
import { Alert, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import { humanize } from '../../lib/format';
import { CRM_LABELS, type Draft, valueMapRows, type ValueMapDraft, vocabularyFields } from './mapping-draft';

/** The choice that leaves an option unmapped (not imported, counted). */
const UNMAPPED = '__unmapped__';
const UNMAPPED_LABEL = 'Unmapped — not imported';

interface ValueMapsEditorProps {
  crm: CrmKind;
  mapping: ConnectionMappingDto;
  draft: Draft;
  valueMaps: ValueMapDraft;
  setValueMaps: Dispatch<SetStateAction<ValueMapDraft>>;
  /** The export direction of the lead status (Settings → Export → Status mapping), shown beside the import table. */
  statusMapping?: StatusMappingDto | undefined;
  rowErrors: Record<string, string[]>;
}

/**
 * Canonical values: for each mapped field with a fixed Conduit vocabulary (lead status, industry), what each CRM option
 * is stored as in Conduit. Conduit suggests the entries by label and value; an option left unmapped is not imported (the
 * field keeps its value) and is counted here, so codes never mix with Conduit's values.
 */
export function ValueMapsEditor({ crm, mapping, draft, valueMaps, setValueMaps, statusMapping, rowErrors }: ValueMapsEditorProps) {
  const fields = vocabularyFields(mapping).filter((f) => draft[f.name]);
  if (!fields.length) return null;
  const crmName = CRM_LABELS[crm];
  return (
    <Stack gap="md" data-testid="value-maps">
      <div>
        <Text fw={600} size="sm">
          Values
        </Text>
        <Text size="xs" c="dimmed">
          These fields hold Conduit’s own values, so filters and campaign rules find the same status whichever CRM it came from. Choose what each {crmName} value is stored as;
          a value left unmapped is not imported and is counted below.
        </Text>
      </div>
      {fields.map((f) => {
        const crmField = draft[f.name] ?? null;
        const map = valueMaps[f.name] ?? {};
        const rows = valueMapRows(mapping, crmField, map);
        const unmapped = mapping.unmapped.filter((u) => u.conduitField === f.name);
        const errors = rowErrors[f.name]?.filter((m) => m.includes('→')) ?? [];
        const exportTable = f.name === 'leadStatus' && statusMapping?.enabled ? statusMapping : null;
        const optionLabel = (value: string) => statusMapping?.options.find((o) => o.value === value)?.label ?? value;
        return (
          <Stack key={f.name} gap="xs" data-testid={`value-map-${f.name}`}>
            {unmapped.length > 0 && (
              <Alert color="yellow" variant="light" title={`${f.label}: values not imported`} data-testid={`unmapped-${f.name}`}>
                {unmapped.map((u) => (
                  <Text key={u.crmValue} size="sm">
                    Unmapped: {u.crmLabel ?? u.crmValue} from {crmName} — {u.records} {u.records === 1 ? 'record' : 'records'}
                  </Text>
                ))}
                <Text size="xs" c="dimmed" mt={4}>
                  Map them below and save: the records are imported again with the new values.
                </Text>
              </Alert>
            )}
            {errors.length > 0 && (
              <Alert color="red" variant="light" role="alert">
                {errors.join(' ')}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, md: exportTable ? 2 : 1 }} spacing="lg">
              <Table.ScrollContainer minWidth={440} type="native">
                <Table verticalSpacing={4} aria-label={`${f.label} values from ${crmName}`}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{f.label} in {crmName}</Table.Th>
                      <Table.Th w="45%">Stored in Conduit as</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.length === 0 && (
                      <Table.Tr>
                        <Table.Td colSpan={2}>
                          <Text size="xs" c="dimmed">
                            {crmName} lists no options for this field: its values are stored when they match one of Conduit’s ({f.vocabulary.slice(0, 4).join(', ')}, …).
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    )}
                    {rows.map((r) => (
                      <Table.Tr key={r.value} data-testid={`value-row-${f.name}-${r.value}`}>
                        <Table.Td>
                          <Text size="sm">{r.label}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Select
                            size="xs"
                            aria-label={`Conduit value for ${crmName} ${f.label} ${r.label}`}
                            data={[{ value: UNMAPPED, label: UNMAPPED_LABEL }, ...f.vocabulary]}
                            value={r.conduitValue ?? UNMAPPED}
                            onChange={(v) => setValueMaps((m) => ({ ...m, [f.name]: { ...(m[f.name] ?? {}), [r.value]: v === null || v === UNMAPPED ? '' : v } }))}
                            allowDeselect={false}
                            searchable
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {exportTable && (
                <Table.ScrollContainer minWidth={440} type="native">
                  <Table verticalSpacing={4} aria-label={`${f.label} written to ${crmName}`}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{exportTable.source === 'leadStatus' ? 'Conduit lead status' : 'Conduit engagement state'}</Table.Th>
                        <Table.Th w="45%">Written to {crmName} as</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {Object.entries(exportTable.table).map(([conduitValue, crmValue]) => (
                        <Table.Tr key={conduitValue}>
                          <Table.Td>
                            <Text size="sm">{exportTable.source === 'leadStatus' ? conduitValue : humanize(conduitValue)}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{optionLabel(crmValue)}</Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </SimpleGrid>
            {f.name === 'leadStatus' && (
              <Group gap={4}>
                <Text size="xs" c="dimmed">
                  {exportTable
                    ? `Import (left) and export (right) each have their own table; the export one is edited on the Export tab, under Status mapping.`
                    : `Conduit does not write a status to ${crmName} (Status mapping on the Export tab is off).`}
                </Text>
              </Group>
            )}
          </Stack>
        );
      })}
    </Stack>
  );
}
