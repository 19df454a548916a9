import type { WorkflowDto } from '@conduit/contracts';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPause } from '@tabler/icons-react';
import { useSession } from '../../api/auth';
import { useResumeWorkflow, useWorkflows } from '../../api/workflows';
import { errorMessage } from '../../components/error-state';
import { WORKFLOW_INFO } from './workflow-form';

/** Whether the alert for `wf` belongs on the card of `crm` (unknown CRM: on both). */
const concerns = (wf: WorkflowDto, crm: string | undefined) => crm === undefined || wf.pausedCrm === null || wf.pausedCrm === crm;

/**
 * Workflows an auth failure paused, with the reason and a Resume action (admins). On an integration card pass the
 * card's CRM (`hubspot` / `salesforce`); on the workflows page, leave it out.
 */
export function PausedWorkflowsAlert({ crm }: { crm?: string }) {
  const workflows = useWorkflows();
  const paused = (workflows.data ?? []).filter((w) => w.enabled && w.status === 'paused' && concerns(w, crm));
  return paused.length ? <PausedAlerts paused={paused} /> : null;
}

function PausedAlerts({ paused }: { paused: WorkflowDto[] }) {
  const session = useSession();
  const resume = useResumeWorkflow();
  const isAdmin = session.data?.user.role === 'admin';
  return (
    <Stack gap="xs">
      {paused.map((wf) => (
        <Alert key={wf.kind} color="orange" variant="light" icon={<IconPlayerPause size={18} />} title={`${WORKFLOW_INFO[wf.kind].name} is paused`} data-testid={`paused-workflow-${wf.kind}`}>
          <Stack gap={6}>
            <Text size="sm">{wf.pausedReason ?? 'An authorization failure paused this workflow.'}</Text>
            {resume.isError && resume.variables === wf.kind && (
              <Text size="xs" c="red">
                {errorMessage(resume.error)}
              </Text>
            )}
            {isAdmin && (
              <Group>
                <Button size="xs" variant="white" color="orange" loading={resume.isPending && resume.variables === wf.kind} onClick={() =>
                    resume.mutate(wf.kind, {
                      // The alert leaves with the pause: say what happened, or the admin sees it vanish without a word.
                      onSuccess: () => notifications.show({ color: 'teal', title: `${WORKFLOW_INFO[wf.kind].name} resumed`, message: 'Changes in the CRMs trigger it again from now on.' }),
                    })
                  }
                >
                  Resume {WORKFLOW_INFO[wf.kind].name}
                </Button>
              </Group>
            )}
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}
