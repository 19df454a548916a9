import { WORKFLOW_KINDS, type WorkflowDto, type WorkflowKind } from '@conduit/contracts';
import { Alert, Anchor, Button, Card, Group, Skeleton, Stack, Switch, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useSession } from '../../api/auth';
import { isApiError } from '../../api/client';
import { useSaveWorkflow, useWorkflow } from '../../api/workflows';
import { ErrorState, errorMessage } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { LatencyChart } from './latency-chart';
import { PausedWorkflowsAlert } from './paused-workflows-alert';
import { RunLog } from './run-log';
import { MqlHandoffEditor } from './mql-handoff-editor';
import { AccountCompanyEditor, OpportunityDealEditor } from './closed-loop-editors';
import { AccountHygieneEditor, EmailChangeEditor, StageLifecycleEditor } from './workflow-editors';
import { WORKFLOW_INFO, errorsByPath, fromDraft, shownPaths, toDraft, unshownErrors, type WorkflowDraft } from './workflow-form';
import { WorkflowCounts, WorkflowStatusBadge } from './workflows-page';

function kindOf(slug: string | undefined): WorkflowKind | null {
  const kind = (slug ?? '').replace(/-/g, '_');
  return (WORKFLOW_KINDS as readonly string[]).includes(kind) ? (kind as WorkflowKind) : null;
}

function DraftEditor({ draft, onChange, errors, readOnly }: { draft: WorkflowDraft; onChange: (d: WorkflowDraft) => void; errors: Record<string, string>; readOnly: boolean }) {
  const props = { errors, readOnly };
  switch (draft.kind) {
    case 'mql_handoff':
      return <MqlHandoffEditor {...props} config={draft.config} onChange={(config) => onChange({ kind: draft.kind, config })} />;
    case 'stage_lifecycle':
      return <StageLifecycleEditor {...props} config={draft.config} onChange={(config) => onChange({ kind: draft.kind, config })} />;
    case 'email_change':
      return <EmailChangeEditor {...props} config={draft.config} onChange={(config) => onChange({ kind: draft.kind, config })} />;
    case 'account_hygiene':
      return <AccountHygieneEditor {...props} config={draft.config} onChange={(config) => onChange({ kind: draft.kind, config })} />;
    case 'opportunity_deal':
      return <OpportunityDealEditor {...props} config={draft.config} onChange={(config) => onChange({ kind: draft.kind, config })} />;
    case 'account_company':
      return <AccountCompanyEditor {...props} config={draft.config} onChange={(config) => onChange({ kind: draft.kind, config })} />;
  }
}

function Settings({ wf, isAdmin }: { wf: WorkflowDto; isAdmin: boolean }) {
  const save = useSaveWorkflow(wf.kind);
  const [draft, setDraft] = useState<WorkflowDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const current = draft ?? toDraft(wf.kind, wf.config);
  const unshown = unshownErrors(errors, shownPaths(current));

  const submit = () => {
    setSummary(null);
    save.mutate(
      { config: fromDraft(current) },
      {
        onSuccess: () => {
          setDraft(null);
          setErrors({});
          notifications.show({ color: 'teal', message: `${WORKFLOW_INFO[wf.kind].name} saved` });
        },
        onError: (error) => {
          const byPath = isApiError(error) ? errorsByPath(error.fieldErrors) : {};
          setErrors(byPath);
          setSummary(Object.keys(byPath).length ? 'Fix the fields marked below.' : errorMessage(error));
        },
      },
    );
  };

  return (
    <Stack gap="md">
      {!isAdmin && (
        <Text size="sm" c="dimmed">
          Only admins can change workflows.
        </Text>
      )}
      <DraftEditor
        draft={current}
        onChange={(d) => {
          setDraft(d);
        }}
        errors={errors}
        readOnly={!isAdmin}
      />
      {(summary || unshown.length > 0) && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Not saved" role="alert" data-testid="workflow-save-error">
          <Stack gap={2}>
            {summary && <Text size="sm">{summary}</Text>}
            {unshown.map((m) => (
              <Text key={m} size="sm">
                {m}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {isAdmin && (
        <Group justify="flex-end" style={{ position: 'sticky', bottom: 0 }} py="sm" bg="var(--mantine-color-gray-0)">
          <Button
            variant="default"
            disabled={draft === null}
            onClick={() => {
              setDraft(null);
              setErrors({});
              setSummary(null);
            }}
          >
            Discard changes
          </Button>
          <Button onClick={submit} loading={save.isPending} disabled={draft === null}>
            Save workflow
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function EnableSwitch({ wf }: { wf: WorkflowDto }) {
  const save = useSaveWorkflow(wf.kind);
  return (
    <Stack gap={2} align="flex-end">
      <Switch
        label={wf.enabled ? 'Enabled' : 'Disabled'}
        aria-label={`Enable ${WORKFLOW_INFO[wf.kind].name}`}
        checked={wf.enabled}
        disabled={save.isPending}
        onChange={(e) => save.mutate({ enabled: e.currentTarget.checked })}
        size="md"
      />
      {save.isError && (
        <Text size="xs" c="red" maw={360} ta="right" data-testid="enable-error">
          {errorMessage(save.error)}
        </Text>
      )}
    </Stack>
  );
}

/** One workflow: enable, edit its definition, watch its run log and latency. */
export function WorkflowPage() {
  const { slug } = useParams();
  const kind = kindOf(slug);
  if (!kind)
    return (
      <Stack>
        <PageHeader title="Workflow not found" />
        <Anchor component={Link} to="/workflows">
          Back to workflows
        </Anchor>
      </Stack>
    );
  return <KnownWorkflowPage key={kind} kind={kind} />;
}

function KnownWorkflowPage({ kind }: { kind: WorkflowKind }) {
  const wf = useWorkflow(kind);
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'runs' ? 'runs' : 'settings';
  const info = WORKFLOW_INFO[kind];
  return (
    <>
      <Anchor component={Link} to="/workflows" size="sm" mb="xs" display="block">
        ← Workflows
      </Anchor>
      <PageHeader
        title={
          <Group gap="sm">
            {info.name}
            {wf.data && <WorkflowStatusBadge wf={wf.data} />}
          </Group>
        }
        description={info.description}
        actions={wf.data && isAdmin ? <EnableSwitch wf={wf.data} /> : undefined}
      />
      <Stack gap="lg">
        <PausedWorkflowsAlert />
        <Card padding="md" withBorder>
          <WorkflowCounts kind={kind} />
        </Card>
        {wf.isPending ? (
          <Skeleton h={320} radius="md" />
        ) : wf.isError ? (
          <ErrorState error={wf.error} title="Could not load the workflow" onRetry={() => void wf.refetch()} />
        ) : (
          <Tabs value={tab} onChange={(v) => setParams(v === 'runs' ? { tab: 'runs' } : {}, { replace: true })} keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="settings">Settings</Tabs.Tab>
              <Tabs.Tab value="runs">Run log</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="settings">
              <Settings wf={wf.data} isAdmin={isAdmin} />
            </Tabs.Panel>
            <Tabs.Panel value="runs">
              <Stack gap="lg">
                <LatencyChart kind={kind} />
                <RunLog kind={kind} canRetry={isAdmin} />
              </Stack>
            </Tabs.Panel>
          </Tabs>
        )}
      </Stack>
    </>
  );
}
