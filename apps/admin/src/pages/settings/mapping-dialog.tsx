import type { ConnectionMappingDto, CrmKind, MappingObjectDto, MappingRowDto } from '@conduit/contracts';
import { Alert, Badge, Button, Group, Loader, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp, IconEye } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import { useConnections, useDiscoverFields, useMapping, useResetMapping, useSaveMapping, useSaveSourceOfTruth, useSourceOfTruth } from '../../api/connections';
import { useStatusMapping } from '../../api/export';
import { useMappingPreview } from '../../api/sync';
import { useConfirmDelete } from '../../components/confirm-delete';
import { errorMessage } from '../../components/error-state';
import { DiscardChangesModal, UnsavedChangesGuard } from '../../components/unsaved-changes-guard';
import { formatDateTime } from '../../lib/format';
import {
  changedSources,
  CRM_LABELS,
  customRowError,
  draftsOf,
  hasUnsavedChanges,
  issuesByField as issuesOf,
  rowErrorsOf,
  rowsFromDraft,
  sourcesOf,
  type CustomRowDraft,
  type Draft,
  type RuleDraft,
  type SourceDraft,
  type ValueMapDraft,
} from './mapping-draft';
import { DriftAlert, MappingPreview } from './mapping-preview';
import { SourceOfTruthTable } from './mapping-source-of-truth';
import { CustomRowsEditor, FieldMappingTable } from './mapping-tables';
import { ValueMapsEditor } from './mapping-value-maps';

interface MappingEditorProps {
  crm: CrmKind;
  /** Shown (the tab selected): fields are read from the CRM and the saved mapping loaded. */
  opened: boolean;
}

/**
 * The field mapping of a connection: each Conduit field with a searchable list of the CRM's writable fields, the source
 * of truth, value maps and custom rows (the connection page's Field mapping tab).
 */
export function MappingEditor({ crm, opened }: MappingEditorProps) {
  const [object, setObject] = useState<MappingObjectDto>('contacts');
  const discover = useDiscoverFields();
  const mapping = useMapping(crm, object, opened);
  const save = useSaveMapping(crm, object);
  // Resetting throws away every choice of the object's mapping: ask first.
  const reset = useConfirmDelete({
    mutation: useResetMapping(crm, object),
    variables: () => undefined,
    title: 'Reset mapping to defaults',
    confirmLabel: 'Reset',
    message: (o: MappingObjectDto) =>
      `Replace the ${CRM_LABELS[crm]} ${o === 'companies' ? 'company' : 'contact'} mapping with Conduit's defaults? Your field choices, custom attribute rows, import priorities and export behaviours for it are lost.`,
    notify: () => ({ title: 'Mapping reset', message: 'The defaults are in place. Records already imported are re-evaluated in the background.' }),
    onDone: () => {
      reloadNext.current = true;
    },
  });
  const sourceOfTruth = useSourceOfTruth(object, opened);
  const saveSources = useSaveSourceOfTruth(object);
  const statusMapping = useStatusMapping(crm, opened && object === 'contacts');
  const connections = useConnections();
  const connectionId = connections.data?.find((c) => c.crm === crm)?.id ?? null;
  const preview = useMappingPreview(connectionId, object);
  const [previewRunId, setPreviewRunId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [rules, setRules] = useState<RuleDraft>({});
  const [custom, setCustom] = useState<CustomRowDraft[]>([]);
  const [valueMaps, setValueMaps] = useState<ValueMapDraft>({});
  const [sources, setSources] = useState<SourceDraft>({});
  const [sourceErrors, setSourceErrors] = useState<Record<string, string[]>>({});
  const [showCustomErrors, setShowCustomErrors] = useState(false);
  const [rowErrors, setRowErrors] = useState<Record<string, string[]>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const sentRows = useRef<MappingRowDto[]>([]);
  // The saved mapping the drafts started from; a newer one fetched while there are unsaved edits waits in `newer`.
  const [base, setBase] = useState<ConnectionMappingDto | null>(null);
  const [newer, setNewer] = useState<ConnectionMappingDto | null>(null);
  const [pendingObject, setPendingObject] = useState<MappingObjectDto | null>(null);
  // The next mapping fetched replaces the drafts whatever they hold (after a save or a reset: it is what they became).
  const reloadNext = useRef(false);
  const dirtyRef = useRef(false);
  const { mutate: runDiscovery } = discover;

  // Fresh fields whenever the dialog opens: a property added in the CRM a minute ago is offered right away.
  useEffect(() => {
    if (opened) runDiscovery(crm);
  }, [opened, crm, runDiscovery]);

  const seed = (m: ConnectionMappingDto) => {
    const start = draftsOf(m);
    setDraft(start.draft);
    setRules(start.rules);
    setCustom([...start.custom]);
    setValueMaps(start.valueMaps);
    setShowCustomErrors(false);
    setBase(m);
    setNewer(null);
  };

  // The drafts start from the saved rows. A refetch (window focus, the discovery run when the tab opens, a remap
  // invalidating the mapping) never replaces unsaved edits: a different saved mapping is offered instead (`newer`).
  const loadedRows = useRef<string | null>(null);
  useEffect(() => {
    if (!mapping.data || !opened) return;
    const key = `${mapping.data.object}:${JSON.stringify(mapping.data.rows)}`;
    if (key === loadedRows.current) return;
    loadedRows.current = key;
    const sameObject = base?.object === mapping.data.object;
    if (sameObject && dirtyRef.current && !reloadNext.current) {
      setNewer(mapping.data);
      return;
    }
    reloadNext.current = false;
    seed(mapping.data);
    // Runs on a new mapping only: `base` is read for the object check, not a trigger.
  }, [mapping.data, opened]);

  // The source-of-truth choices start from the saved ones (the workspace's, shared by both CRMs' dialogs).
  const loadedSources = useRef<string | null>(null);
  useEffect(() => {
    if (!sourceOfTruth.data || !opened) return;
    const key = JSON.stringify(sourceOfTruth.data);
    if (key === loadedSources.current) return;
    loadedSources.current = key;
    setSources(sourcesOf(sourceOfTruth.data));
  }, [sourceOfTruth.data, opened]);

  const sourcesDirty = sourceOfTruth.data?.active ? changedSources(sourceOfTruth.data, sources).length > 0 : false;
  const dirty = (base !== null && hasUnsavedChanges(base, { draft, rules, custom, valueMaps })) || sourcesDirty;
  dirtyRef.current = dirty;

  const clearMessages = () => {
    setRowErrors({});
    setSourceErrors({});
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
    return rowsFromDraft(mapping.data, draft, rules, custom, valueMaps);
  };

  /** Source-of-truth choices that differ from the saved ones (none while fewer than two CRMs are connected). */
  const sourcesToSend = () => (sourceOfTruth.data?.active ? changedSources(sourceOfTruth.data, sources) : []);

  /** A 400 naming rules.N.field: the message goes next to the field of the N-th rule sent. */
  const showSourceErrors = (error: unknown, sent: ReturnType<typeof sourcesToSend>) => {
    setSaveError(errorMessage(error));
    if (!isApiError(error)) return;
    const byField: Record<string, string[]> = {};
    for (const fe of error.fieldErrors) {
      const index = /^rules\.(\d+)\./.exec(fe.field)?.[1];
      const rule = index === undefined ? undefined : sent[Number(index)];
      if (rule) byField[rule.conduitField] = [...(byField[rule.conduitField] ?? []), ...fe.messages];
    }
    setSourceErrors(byField);
  };

  /** A 400 naming rows.N.field: the message goes next to the row it names. */
  const showRowErrors = (error: unknown) => {
    setSaveError(errorMessage(error));
    if (isApiError(error)) setRowErrors(rowErrorsOf(error.fieldErrors, sentRows.current));
  };

  const onPreview = () => {
    clearMessages();
    const rows = rowsToSend();
    if (!rows) return;
    sentRows.current = rows;
    preview.mutate({ rows, sourceOfTruth: sourcesToSend() }, { onSuccess: (run) => setPreviewRunId(run.id), onError: showRowErrors });
  };

  const onSave = () => {
    if (!mapping.data) return;
    clearMessages();
    const rows = rowsToSend();
    if (!rows) return;
    sentRows.current = rows;
    const changedRules = sourcesToSend();
    reloadNext.current = true;
    save.mutate(rows, {
      onSuccess: (saved) => {
        const warnings = saved.issues.filter((i) => i.severity === 'warning').length;
        const done = (sourcesSaved: boolean) =>
          notifications.show({
            color: warnings ? 'yellow' : 'teal',
            message: `${warnings ? `Mapping saved with ${warnings} warning${warnings === 1 ? '' : 's'}` : 'Mapping saved'}${sourcesSaved ? ' with the new sources of truth' : ''}. Records already imported are re-evaluated in the background.`,
          });
        if (!changedRules.length) return done(false);
        saveSources.mutate(changedRules, { onSuccess: () => done(true), onError: (error) => showSourceErrors(error, changedRules) });
      },
      onError: (error) => {
        reloadNext.current = false;
        showRowErrors(error);
      },
    });
  };

  const switchObject = (next: MappingObjectDto) => {
    clearMessages();
    setPendingObject(null);
    setObject(next);
  };

  const onReset = () => {
    clearMessages();
    reset.ask(object);
  };

  const data = mapping.data;
  const issuesByField = useMemo(() => (data ? issuesOf(data) : {}), [data]);
  const generalWarnings = data?.issues.filter((i) => i.rowIndex === null) ?? [];

  return (
    <>
      {/* Busy until the fields are read afresh: edits made before that would be replaced by the refreshed mapping. */}
      <Stack gap="md" data-testid="mapping-editor" aria-busy={opened && (discover.isIdle || discover.isPending)}>
        <Group justify="space-between" align="center">
          <SegmentedControl
            value={object}
            onChange={(v) => {
              const next = v === 'companies' ? 'companies' : 'contacts';
              // Switching objects loads the other mapping: ask first when this one has unsaved edits.
              if (dirty) setPendingObject(next);
              else switchObject(next);
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
        {dirty && (
          <Text size="sm" c="orange.8" role="status" data-testid="mapping-unsaved">
            Unsaved changes: save the mapping to keep them.
          </Text>
        )}
        {newer && (
          <Alert color="yellow" variant="light" role="alert" title="The saved mapping changed while you were editing" data-testid="mapping-changed-elsewhere">
            <Stack gap="xs">
              <Text size="sm">Your unsaved changes are kept. Saving replaces the saved mapping with what you see here.</Text>
              <Group>
                <Button size="xs" variant="default" onClick={() => seed(newer)}>
                  Discard my changes and load it
                </Button>
              </Group>
            </Stack>
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
          <>
            {sourceOfTruth.data && <SourceOfTruthTable sot={sourceOfTruth.data} draft={sources} setDraft={setSources} errors={sourceErrors} />}
            <FieldMappingTable
              crm={crm}
              mapping={data}
              draft={draft}
              setDraft={setDraft}
              rules={rules}
              setRules={setRules}
              rowErrors={rowErrors}
              issues={issuesByField}
              sourceOfTruthActive={sourceOfTruth.data?.active ?? false}
            />
            <ValueMapsEditor crm={crm} mapping={data} draft={draft} valueMaps={valueMaps} setValueMaps={setValueMaps} statusMapping={statusMapping.data} rowErrors={rowErrors} />
          </>
        )}
        {data && <CustomRowsEditor crm={crm} object={object} mapping={data} custom={custom} setCustom={setCustom} showErrors={showCustomErrors} rowErrors={rowErrors} />}
        {previewRunId && <MappingPreview runId={previewRunId} />}
        <Group justify="space-between">
          <Group gap="xs">
            <Button variant="subtle" leftSection={<IconArrowBackUp size={16} />} onClick={onReset} disabled={!data}>
              Reset to defaults
            </Button>
            {data?.isDefault && (
              <Badge variant="light" color="gray">
                Defaults
              </Badge>
            )}
          </Group>
          <Group gap="sm">
            <Button variant="light" leftSection={<IconEye size={16} />} onClick={onPreview} loading={preview.isPending} disabled={!data || !connectionId}>
              Preview changes
            </Button>
            <Button onClick={onSave} loading={save.isPending || saveSources.isPending} disabled={!data}>
              Save mapping
            </Button>
          </Group>
        </Group>
      </Stack>
      {reset.modal}
      <UnsavedChangesGuard when={dirty} what="mapping changes" />
      <DiscardChangesModal opened={pendingObject !== null} what="mapping changes" onStay={() => setPendingObject(null)} onDiscard={() => pendingObject && switchObject(pendingObject)} />
    </>
  );
}
