import type {
  ConnectionMappingDto,
  CrmFieldDto,
  CrmKind,
  ExportBehaviourDto,
  FieldDriftDto,
  ImportPriorityDto,
  MappingIssueDto,
  MappingObjectDto,
  MappingRowDto,
} from '@conduit/contracts';
import { ActionIcon, Alert, Autocomplete, Badge, Button, Card, Group, Loader, Modal, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp, IconEye, IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import { useConnections, useDiscoverFields, useMapping, useResetMapping, useSaveMapping } from '../../api/connections';
import { isOpen, useMappingPreview, useSyncRun } from '../../api/sync';
import { DryRunResult } from '../sync/dry-run-result';
import { RunProgress } from '../sync/run-progress';
import { errorMessage } from '../../components/error-state';
import { formatDateTime } from '../../lib/format';

export const CRM_LABELS: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

type Draft = Record<string, string | null>;
/** Import priority and export behaviour chosen per Conduit field (absent: the stored row's, else the defaults). */
export type RuleDraft = Record<string, { importPriority: ImportPriorityDto; exportBehaviour: ExportBehaviourDto }>;

const DEFAULT_RULE = { importPriority: 'crm', exportBehaviour: 'fill_if_empty' } as const;
const PRIORITY_OPTIONS: { value: ImportPriorityDto; label: string }[] = [
  { value: 'crm', label: 'CRM wins' },
  { value: 'conduit', label: 'Conduit wins' },
];
const BEHAVIOUR_OPTIONS: { value: ExportBehaviourDto; label: string }[] = [
  { value: 'fill_if_empty', label: 'Fill if empty' },
  { value: 'overwrite', label: 'Overwrite' },
  { value: 'do_not_export', label: 'Do not export' },
];

function rulesOf(mapping: ConnectionMappingDto): RuleDraft {
  const rules: RuleDraft = {};
  for (const r of mapping.rows) rules[r.conduitField] ??= { importPriority: r.importPriority, exportBehaviour: r.exportBehaviour };
  return rules;
}

const CUSTOM = 'custom.';
const isCustom = (field: string) => field.startsWith(CUSTOM);

/** A custom-attribute row being edited: `key` is the attribute name without `custom.`. */
export interface CustomRowDraft {
  id: number;
  key: string;
  crmField: string | null;
  importPriority: ImportPriorityDto;
  exportBehaviour: ExportBehaviourDto;
}

let nextCustomId = 1;

export function customRowsOf(mapping: ConnectionMappingDto): CustomRowDraft[] {
  return mapping.rows
    .filter((r) => isCustom(r.conduitField))
    .map((r) => ({ id: nextCustomId++, key: r.conduitField.slice(CUSTOM.length), crmField: r.crmField, importPriority: r.importPriority, exportBehaviour: r.exportBehaviour }));
}

/** Why a custom row cannot be sent yet (null when it can). */
export function customRowError(row: CustomRowDraft, all: readonly CustomRowDraft[]): string | null {
  const key = row.key.trim();
  if (!key) return 'Name the Conduit custom attribute';
  if (!/^[A-Za-z0-9_.-]+$/.test(key)) return 'Letters, digits, _ . - only';
  if (!row.crmField) return 'Choose the CRM field';
  if (all.filter((r) => r.key.trim() === key).length > 1) return 'This attribute is already mapped';
  return null;
}

function draftOf(mapping: ConnectionMappingDto): Draft {
  const draft: Draft = {};
  for (const f of mapping.conduitFields) if (!isCustom(f.name)) draft[f.name] = null;
  for (const r of mapping.rows) if (draft[r.conduitField] === null) draft[r.conduitField] = r.crmField;
  return draft;
}

/**
 * The stored rows with the dialog's choices applied: changed fields keep their priority/behaviour, cleared ones go, new
 * ones get the defaults of a CRM-owned field. With `custom`, the custom-attribute rows are replaced by the edited ones.
 */
export function rowsFromDraft(mapping: ConnectionMappingDto, draft: Draft, rules: RuleDraft = {}, custom?: readonly CustomRowDraft[]): MappingRowDto[] {
  const rows: MappingRowDto[] = [];
  const seen = new Set<string>();
  for (const r of mapping.rows) {
    if (custom && isCustom(r.conduitField)) continue;
    if (!(r.conduitField in draft)) {
      rows.push(r);
      continue;
    }
    if (seen.has(r.conduitField)) continue;
    seen.add(r.conduitField);
    const crmField = draft[r.conduitField];
    if (crmField) rows.push({ ...r, ...rules[r.conduitField], crmField });
  }
  for (const f of mapping.conduitFields) {
    const crmField = draft[f.name];
    if (!seen.has(f.name) && crmField) rows.push({ conduitField: f.name, crmField, ...DEFAULT_RULE, ...rules[f.name] });
  }
  for (const c of custom ?? []) {
    if (c.crmField && c.key.trim()) rows.push({ conduitField: `${CUSTOM}${c.key.trim()}`, crmField: c.crmField, importPriority: c.importPriority, exportBehaviour: c.exportBehaviour });
  }
  return rows;
}

/** A mapping dry run in the dialog: live progress, then what saving the rows would change. */
function MappingPreview({ runId }: { runId: string }) {
  const run = useSyncRun(runId);
  const data = run.data;
  return (
    <Card withBorder padding="md" data-testid="mapping-preview">
      <Text fw={600} size="sm" mb="xs">
        Preview: what saving this mapping would change in records already imported
      </Text>
      {!data || isOpen(data) ? (
        <Stack gap="xs">
          <Text size="sm">Reading the CRM and comparing with Conduit — nothing is saved or written…</Text>
          <RunProgress runId={runId} />
        </Stack>
      ) : data.status === 'failed' ? (
        <Alert color="red" title="The preview failed">
          {data.error ?? 'Unknown error'}
        </Alert>
      ) : (
        <Stack gap="sm">
          <DryRunResult run={data} />
        </Stack>
      )}
    </Card>
  );
}

function fieldOptions(fields: CrmFieldDto[], current: string | null) {
  const writable = fields.filter((f) => !f.readOnly).sort((a, b) => a.label.localeCompare(b.label));
  const options = writable.map((f) => ({ value: f.name, label: `${f.label} (${f.name})${f.custom ? ' · custom' : ''}` }));
  // A mapped field that disappeared (or is read-only) stays visible so the admin sees what to change.
  if (current && !writable.some((f) => f.name === current)) options.unshift({ value: current, label: `${current} (not available)` });
  return options;
}

function DriftAlert({ drift, crm, at }: { drift: FieldDriftDto; crm: CrmKind; at: string | null }) {
  return (
    <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title={`${CRM_LABELS[crm]} fields changed${at ? ` (${formatDateTime(at)})` : ''}`}>
      <Stack gap={2}>
        {drift.added.length > 0 && <Text size="sm">Added: {drift.added.join(', ')}</Text>}
        {drift.removed.length > 0 && <Text size="sm">Removed: {drift.removed.join(', ')}</Text>}
        {drift.changed.map((c) => (
          <Text size="sm" key={c.name}>
            Changed {c.name}: {c.changes.join('; ')}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

interface MappingDialogProps {
  crm: CrmKind;
  opened: boolean;
  onClose: () => void;
}

/** "Configure mapping": each Conduit field with a searchable list of the CRM's writable fields. */
export function MappingDialog({ crm, opened, onClose }: MappingDialogProps) {
  const [object, setObject] = useState<MappingObjectDto>('contacts');
  const discover = useDiscoverFields();
  const mapping = useMapping(crm, object, opened);
  const save = useSaveMapping(crm, object);
  const reset = useResetMapping(crm, object);
  const connections = useConnections();
  const connectionId = connections.data?.find((c) => c.crm === crm)?.id ?? null;
  const preview = useMappingPreview(connectionId, object);
  const [previewRunId, setPreviewRunId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [rules, setRules] = useState<RuleDraft>({});
  const [custom, setCustom] = useState<CustomRowDraft[]>([]);
  const [showCustomErrors, setShowCustomErrors] = useState(false);
  const [rowErrors, setRowErrors] = useState<Record<string, string[]>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const sentRows = useRef<MappingRowDto[]>([]);
  const { mutate: runDiscovery } = discover;

  // Fresh fields whenever the dialog opens: a property added in the CRM a minute ago is offered right away.
  useEffect(() => {
    if (opened) runDiscovery(crm);
  }, [opened, crm, runDiscovery]);

  // The drafts start from the saved rows. A refetch that brings the same rows (the discovery run when the dialog opens
  // answers with fresh CRM fields) keeps what the admin is editing, such as a custom row just added.
  const loadedRows = useRef<string | null>(null);
  useEffect(() => {
    if (!mapping.data || !opened) return;
    const key = `${mapping.data.object}:${JSON.stringify(mapping.data.rows)}`;
    if (key === loadedRows.current) return;
    loadedRows.current = key;
    setDraft(draftOf(mapping.data));
    setRules(rulesOf(mapping.data));
    setCustom(customRowsOf(mapping.data));
    setShowCustomErrors(false);
  }, [mapping.data, opened]);

  const clearMessages = () => {
    setRowErrors({});
    setSaveError(null);
    setPreviewRunId(null);
  };

  /** The rows to send, or null (with the custom rows' errors shown) while a custom row is incomplete. */
  const rowsToSend = (): MappingRowDto[] | null => {
    if (!mapping.data) return null;
    if (custom.some((c) => customRowError(c, custom) !== null)) {
      setShowCustomErrors(true);
      return null;
    }
    return rowsFromDraft(mapping.data, draft, rules, custom);
  };

  /** A 400 naming rows.N.field: the message goes next to the row it names. */
  const showRowErrors = (error: unknown) => {
    setSaveError(errorMessage(error));
    if (!isApiError(error)) return;
    const byField: Record<string, string[]> = {};
    for (const fe of error.fieldErrors) {
      const index = /^rows\.(\d+)\./.exec(fe.field)?.[1];
      const row = index === undefined ? undefined : sentRows.current[Number(index)];
      if (row) byField[row.conduitField] = [...(byField[row.conduitField] ?? []), ...fe.messages];
    }
    setRowErrors(byField);
  };

  const onPreview = () => {
    clearMessages();
    const rows = rowsToSend();
    if (!rows) return;
    sentRows.current = rows;
    preview.mutate(rows, { onSuccess: (run) => setPreviewRunId(run.id), onError: showRowErrors });
  };

  const close = () => {
    clearMessages();
    // Reopened, the dialog starts again from the saved rows.
    loadedRows.current = null;
    onClose();
  };

  const onSave = () => {
    if (!mapping.data) return;
    clearMessages();
    const rows = rowsToSend();
    if (!rows) return;
    sentRows.current = rows;
    save.mutate(rows, {
      onSuccess: (saved) => {
        const warnings = saved.issues.filter((i) => i.severity === 'warning').length;
        notifications.show({
          color: warnings ? 'yellow' : 'teal',
          message: `${warnings ? `Mapping saved with ${warnings} warning${warnings === 1 ? '' : 's'}` : 'Mapping saved'}. Records already imported are re-evaluated in the background.`,
        });
      },
      onError: showRowErrors,
    });
  };

  const onReset = () => {
    clearMessages();
    reset.mutate(undefined, { onSuccess: () => notifications.show({ color: 'teal', message: 'Mapping reset to the defaults' }) });
  };

  const data = mapping.data;
  const issuesByField = useMemo(() => {
    const map: Record<string, MappingIssueDto[]> = {};
    if (!data) return map;
    for (const issue of data.issues) {
      const row = issue.rowIndex === null ? undefined : data.rows[issue.rowIndex];
      if (row) map[row.conduitField] = [...(map[row.conduitField] ?? []), issue];
    }
    return map;
  }, [data]);
  const generalWarnings = data?.issues.filter((i) => i.rowIndex === null) ?? [];

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{CRM_LABELS[crm]} field mapping</Text>} size="min(1100px, 95vw)">
      <Stack gap="md">
        <Group justify="space-between" align="center">
          <SegmentedControl
            value={object}
            onChange={(v) => {
              clearMessages();
              setObject(v === 'companies' ? 'companies' : 'contacts');
            }}
            data={[
              { value: 'contacts', label: 'Contacts' },
              { value: 'companies', label: 'Companies' },
            ]}
            aria-label="Object"
          />
          <Text size="xs" c="dimmed">
            {discover.isPending ? 'Reading fields from the CRM…' : data?.discoveredAt ? `Fields read ${formatDateTime(data.discoveredAt)}` : ''}
            {data ? ` · ${data.crmObject}` : ''}
          </Text>
        </Group>
        {discover.isError && (
          <Alert color="red" variant="light" role="alert">
            Could not read the fields from {CRM_LABELS[crm]}: {errorMessage(discover.error)}
          </Alert>
        )}
        {data?.drift && <DriftAlert drift={data.drift} crm={crm} at={data.discoveredAt} />}
        {data && data.missingFields.length > 0 && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
            Mapped fields no longer in {CRM_LABELS[crm]}: {data.missingFields.join(', ')}. Choose another field or clear them.
          </Alert>
        )}
        {saveError && (
          <Alert color="red" variant="light" role="alert" title="Mapping not saved">
            {saveError}
          </Alert>
        )}
        {generalWarnings.map((w) => (
          <Alert key={w.message} color="yellow" variant="light">
            {w.message}
          </Alert>
        ))}
        {mapping.isLoading || !data ? (
          mapping.isError ? (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(mapping.error)}
            </Alert>
          ) : (
            <Group justify="center" p="xl">
              <Loader size="sm" />
            </Group>
          )
        ) : (
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
              {data.conduitFields
                .filter((f) => !isCustom(f.name))
                .map((f) => {
                const current = draft[f.name] ?? null;
                const errors = rowErrors[f.name] ?? [];
                const issues = issuesByField[f.name] ?? [];
                const missing = current !== null && data.missingFields.includes(current);
                const rule = rules[f.name] ?? DEFAULT_RULE;
                const setRule = (patch: Partial<RuleDraft[string]>) => setRules((r) => ({ ...r, [f.name]: { ...rule, ...patch } }));
                return (
                  <Table.Tr key={f.name} data-testid={`mapping-row-${f.name}`}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {f.label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {f.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={`${CRM_LABELS[crm]} field for ${f.label}`}
                        placeholder="Not mapped"
                        data={fieldOptions(data.fields, current)}
                        value={current}
                        onChange={(value) => setDraft((d) => ({ ...d, [f.name]: value }))}
                        searchable
                        clearable
                        nothingFoundMessage="No writable field matches"
                        maxDropdownHeight={280}
                        error={errors.length ? errors.join(' ') : missing ? `No longer in ${CRM_LABELS[crm]}` : undefined}
                      />
                      {issues
                        .filter((i) => i.severity === 'warning')
                        .map((i) => (
                          <Text key={i.message} size="xs" c="yellow.8" mt={4}>
                            ⚠ {i.message}
                          </Text>
                        ))}
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={`Import priority for ${f.label}`}
                        data={PRIORITY_OPTIONS}
                        value={rule.importPriority}
                        onChange={(value) => value && setRule({ importPriority: value })}
                        allowDeselect={false}
                        disabled={current === null}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={`Export behaviour for ${f.label}`}
                        data={BEHAVIOUR_OPTIONS}
                        value={rule.exportBehaviour}
                        onChange={(value) => value && setRule({ exportBehaviour: value })}
                        allowDeselect={false}
                        disabled={current === null}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
        {data && (
          <Stack gap="xs" data-testid="custom-rows">
            <Group justify="space-between">
              <Text fw={600} size="sm">
                Custom attributes
              </Text>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} />}
                onClick={() => setCustom((c) => [...c, { id: nextCustomId++, key: '', crmField: null, ...DEFAULT_RULE }])}
              >
                Add custom row
              </Button>
            </Group>
            {custom.length === 0 ? (
              <Text size="xs" c="dimmed">
                No custom attribute is mapped. Add a row to import a {CRM_LABELS[crm]} field (custom fields included) into a Conduit {object === 'companies' ? 'company' : 'person'} custom
                attribute.
              </Text>
            ) : (
              <Table verticalSpacing="xs" aria-label="Custom attribute mapping">
                <Table.Tbody>
                  {custom.map((c, i) => {
                    const error = showCustomErrors ? customRowError(c, custom) : null;
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
                            data={data.conduitFields.filter((f) => isCustom(f.name)).map((f) => f.name.slice(CUSTOM.length))}
                            value={c.key}
                            onChange={(key) => update({ key })}
                            error={error && !c.key.trim() ? error : error?.startsWith('Letters') || error?.startsWith('This attribute') ? error : undefined}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Select
                            aria-label={`${CRM_LABELS[crm]} field for custom attribute ${i + 1}`}
                            placeholder="CRM field"
                            data={fieldOptions(data.fields, c.crmField)}
                            value={c.crmField}
                            onChange={(crmField) => update({ crmField })}
                            searchable
                            nothingFoundMessage="No writable field matches"
                            maxDropdownHeight={280}
                            error={serverErrors.length ? serverErrors.join(' ') : error === 'Choose the CRM field' ? error : undefined}
                          />
                        </Table.Td>
                        <Table.Td w={170}>
                          <Select
                            aria-label={`Import priority for custom attribute ${i + 1}`}
                            data={PRIORITY_OPTIONS}
                            value={c.importPriority}
                            onChange={(v) => v && update({ importPriority: v })}
                            allowDeselect={false}
                          />
                        </Table.Td>
                        <Table.Td w={190}>
                          <Select
                            aria-label={`Export behaviour for custom attribute ${i + 1}`}
                            data={BEHAVIOUR_OPTIONS}
                            value={c.exportBehaviour}
                            onChange={(v) => v && update({ exportBehaviour: v })}
                            allowDeselect={false}
                          />
                        </Table.Td>
                        <Table.Td w={40}>
                          <ActionIcon variant="subtle" color="red" aria-label={`Remove custom row ${i + 1}`} onClick={() => setCustom((rows) => rows.filter((r) => r.id !== c.id))}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
        {previewRunId && <MappingPreview runId={previewRunId} />}
        <Group justify="space-between">
          <Group gap="xs">
            <Button variant="subtle" leftSection={<IconArrowBackUp size={16} />} onClick={onReset} loading={reset.isPending} disabled={!data}>
              Reset to defaults
            </Button>
            {data?.isDefault && (
              <Badge variant="light" color="gray">
                Defaults
              </Badge>
            )}
          </Group>
          <Group gap="sm">
            <Button variant="default" onClick={close}>
              Close
            </Button>
            <Button variant="light" leftSection={<IconEye size={16} />} onClick={onPreview} loading={preview.isPending} disabled={!data || !connectionId}>
              Preview changes
            </Button>
            <Button onClick={onSave} loading={save.isPending} disabled={!data}>
              Save mapping
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
