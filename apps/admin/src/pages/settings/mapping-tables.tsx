import type { ConnectionMappingDto, CrmKind, MappingIssueDto, MappingObjectDto } from '@conduit/contracts';
import { Autocomplete, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { Dispatch, SetStateAction } from 'react';
import { ChoiceSelect, RemoveRowButton } from '../../components/table-cells';
import {
  BEHAVIOUR_OPTIONS,
  CRM_LABELS,
  CUSTOM,
  customErrorPlacement,
  customRowError,
  DEFAULT_RULE,
  fieldOptions,
  isCustom,
  newCustomRow,
  PRIORITY_OPTIONS,
  type CustomRowDraft,
  type Draft,
  type RuleDraft,
} from './mapping-draft';

interface FieldMappingTableProps {
  crm: CrmKind;
  mapping: ConnectionMappingDto;
  draft: Draft;
  setDraft: Dispatch<SetStateAction<Draft>>;
  rules: RuleDraft;
  setRules: Dispatch<SetStateAction<RuleDraft>>;
  rowErrors: Record<string, string[]>;
  issues: Record<string, MappingIssueDto[]>;
  /** Several CRMs connected: the source of truth per field replaces the import priority (shown, not editable). */
  sourceOfTruthActive?: boolean;
}

/** Each Conduit field with a searchable list of the CRM's writable fields, its import priority and export behaviour. */
export function FieldMappingTable({ crm, mapping, draft, setDraft, rules, setRules, rowErrors, issues, sourceOfTruthActive = false }: FieldMappingTableProps) {
  return (
    <Table.ScrollContainer minWidth={960} type="native">
      <Table verticalSpacing="xs" aria-label="Field mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="28%">Conduit field</Table.Th>
            <Table.Th>{CRM_LABELS[crm]} field</Table.Th>
            <Table.Th w={170}>Import priority</Table.Th>
            <Table.Th w={190}>Export behaviour</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {mapping.conduitFields
            .filter((f) => !isCustom(f.name))
            .map((f) => {
              const current = draft[f.name] ?? null;
              const options = fieldOptions(mapping.fields, current);
              const errors = rowErrors[f.name] ?? [];
              const missing = current !== null && mapping.missingFields.includes(current);
              const rule = rules[f.name] ?? DEFAULT_RULE;
              const setRule = (patch: Partial<RuleDraft[string]>) => setRules((r) => ({ ...r, [f.name]: { ...rule, ...patch } }));
              return (
                <Table.Tr key={f.name} data-testid={`mapping-row-${f.name}`}>
                  <Table.Td>
                    {/* The label only: the field's key (firstName) is for machines (#21). */}
                    <Text size="sm" fw={500}>
                      {f.label}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`${CRM_LABELS[crm]} field for ${f.label}`}
                      placeholder="Not mapped"
                      data={options}
                      value={current}
                      // A long custom field name does not fit: the full name on hover.
                      title={options.find((o) => o.value === current)?.label}
                      onChange={(value) => setDraft((d) => ({ ...d, [f.name]: value }))}
                      searchable
                      clearable
                      nothingFoundMessage="No writable field matches"
                      maxDropdownHeight={280}
                      error={errors.length ? errors.join(' ') : missing ? `No longer in ${CRM_LABELS[crm]}` : undefined}
                    />
                    {(issues[f.name] ?? [])
                      .filter((i) => i.severity === 'warning')
                      .map((i) => (
                        <Text key={i.message} size="xs" c="yellow.8" mt={4}>
                          ⚠ {i.message}
                        </Text>
                      ))}
                  </Table.Td>
                  <Table.Td>
                    {sourceOfTruthActive ? (
                      <Text size="xs" c="dimmed" data-testid={`priority-by-source-${f.name}`}>
                        {current === null ? '—' : 'Set by the source of truth above'}
                      </Text>
                    ) : (
                      <ChoiceSelect label={`Import priority for ${f.label}`} data={PRIORITY_OPTIONS} value={rule.importPriority} onChange={(importPriority) => setRule({ importPriority })} disabled={current === null} />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ChoiceSelect label={`Export behaviour for ${f.label}`} data={BEHAVIOUR_OPTIONS} value={rule.exportBehaviour} onChange={(exportBehaviour) => setRule({ exportBehaviour })} disabled={current === null} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface CustomRowsEditorProps {
  crm: CrmKind;
  object: MappingObjectDto;
  mapping: ConnectionMappingDto;
  custom: CustomRowDraft[];
  setCustom: Dispatch<SetStateAction<CustomRowDraft[]>>;
  showErrors: boolean;
  rowErrors: Record<string, string[]>;
}

/** Rows that import a CRM field (custom fields included) into a Conduit custom attribute. */
export function CustomRowsEditor({ crm, object, mapping, custom, setCustom, showErrors, rowErrors }: CustomRowsEditorProps) {
  return (
    <Stack gap="xs" data-testid="custom-rows">
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Custom attributes
        </Text>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setCustom((c) => [...c, newCustomRow()])}>
          Add custom row
        </Button>
      </Group>
      {custom.length === 0 ? (
        <Text size="xs" c="dimmed">
          No custom attribute is mapped. Add a row to import a {CRM_LABELS[crm]} field (custom fields included) into a Conduit {object === 'companies' ? 'company' : 'person'} custom
          attribute.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760} type="native">
          <Table verticalSpacing="xs" aria-label="Custom attribute mapping">
            <Table.Tbody>
              {custom.map((c, i) => {
                const placed = customErrorPlacement(showErrors ? customRowError(c, custom) : null, c.key);
                const serverErrors = rowErrors[`${CUSTOM}${c.key.trim()}`] ?? [];
                const update = (patch: Partial<CustomRowDraft>) => setCustom((rows) => rows.map((r) => (r.id === c.id ? { ...r, ...patch } : r)));
                return (
                  <Table.Tr key={c.id} data-testid={`custom-row-${i}`}>
                    <Table.Td w="30%">
                      <Autocomplete
                        aria-label={`Conduit custom attribute ${i + 1}`}
                        placeholder="Attribute, e.g. score"
                        leftSection={<Text size="xs" c="dimmed">custom.</Text>}
                        leftSectionWidth={58}
                        data={mapping.conduitFields.filter((f) => isCustom(f.name)).map((f) => f.name.slice(CUSTOM.length))}
                        value={c.key}
                        onChange={(key) => update({ key })}
                        error={placed.key}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={`${CRM_LABELS[crm]} field for custom attribute ${i + 1}`}
                        placeholder="CRM field"
                        data={fieldOptions(mapping.fields, c.crmField)}
                        value={c.crmField}
                        onChange={(crmField) => update({ crmField })}
                        searchable
                        nothingFoundMessage="No writable field matches"
                        maxDropdownHeight={280}
                        error={serverErrors.length ? serverErrors.join(' ') : placed.crmField}
                      />
                    </Table.Td>
                    <Table.Td w={170}>
                      <ChoiceSelect label={`Import priority for custom attribute ${i + 1}`} data={PRIORITY_OPTIONS} value={c.importPriority} onChange={(importPriority) => update({ importPriority })} />
                    </Table.Td>
                    <Table.Td w={190}>
                      <ChoiceSelect label={`Export behaviour for custom attribute ${i + 1}`} data={BEHAVIOUR_OPTIONS} value={c.exportBehaviour} onChange={(exportBehaviour) => update({ exportBehaviour })} />
                    </Table.Td>
                    <Table.Td w={40}>
                      <RemoveRowButton label={`Remove custom row ${i + 1}`} onRemove={() => setCustom((rows) => rows.filter((r) => r.id !== c.id))} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
