import type { PausedRunDto } from '@conduit/contracts';
import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { resumePath, useApiBudget, useResumePausedRun } from '../../../api/api-budget';
import { useSession } from '../../../api/auth';
import { formatResumeTime } from './budget-format';

/** The clock for "in 3 h 12 min", ticking every 30 s so the countdown stays true while the page is open. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** "Paused: daily API allocation reached — resumes at 00:00 (in 3 h 12 min)". */
export function pausedLine(run: Pick<PausedRunDto, 'reason' | 'resumesAt'>, now: Date = new Date()): string {
  const reason = run.reason.startsWith('Paused') ? run.reason : `Paused: ${run.reason}`;
  return new Date(run.resumesAt).getTime() > now.getTime() ? `${reason} — resumes at ${formatResumeTime(run.resumesAt, now)}` : `${reason} — resuming now`;
}

function runLink(run: PausedRunDto): string | null {
  switch (run.type) {
    case 'sync':
      return `/settings/sync-history/${run.id}`;
    case 'list':
      return '/lists';
    case 'export':
      return null;
  }
}

/**
 * One paused run: what stopped it and when it resumes by itself, and for admins "Resume now anyway" (the run goes
 * on past the allocation until the reset; the CRM's own daily limit still stops it).
 */
export function PausedRunAlert({ connectionId, run, showLabel = true }: { connectionId: string; run: PausedRunDto; showLabel?: boolean }) {
  const now = useNow();
  const session = useSession();
  const resume = useResumePausedRun(connectionId);
  const canResume = session.data?.user.role === 'admin' && resumePath(run) !== null;
  const link = showLabel ? runLink(run) : null;
  return (
    <Alert color="yellow" variant="light" p="sm" data-testid={`paused-${run.type}-${run.id}`}>
      <Group justify="space-between" wrap="nowrap" gap="sm" align="center">
        <Stack gap={2}>
          {showLabel && (
            <Text size="sm" fw={600}>
              {link ? (
                <Anchor component={Link} to={link} inherit>
                  {run.label}
                </Anchor>
              ) : (
                run.label
              )}
            </Text>
          )}
          <Text size="sm" data-testid="paused-line">
            {pausedLine(run, now)}
          </Text>
          {run.cause === 'crm_daily_limit' && (
            <Text size="xs" c="dimmed">
              The CRM itself refused more calls today: resuming early would be refused too.
            </Text>
          )}
        </Stack>
        {canResume && run.cause === 'daily_allocation' && (
          <Button
            size="xs"
            variant="white"
            color="orange"
            style={{ flexShrink: 0 }}
            loading={resume.isPending && resume.variables.id === run.id}
            onClick={() => {
              // mutateAsync, not mutate's callbacks: the resumed run leaves the paused list (this alert unmounts) as soon as
              // the refetch lands, and React Query drops a mutate() callback whose component has unmounted.
              resume.mutateAsync(run).then(
                () => notifications.show({ color: 'teal', title: 'Resumed', message: `${run.label} goes on now, past today's allocation until the reset.` }),
                (e: unknown) => notifications.show({ color: 'red', title: 'Not resumed', message: e instanceof Error ? e.message : String(e) }),
              );
            }}
          >
            Resume now anyway
          </Button>
        )}
      </Group>
    </Alert>
  );
}

/**
 * Everything the daily API budget paused on a connection (sync runs, exports, list syncs), each with its resume time
 * and "Resume now anyway": self-contained for any page that has the connection id (the integration card, the sync
 * page, Settings → API budget); `only` keeps one kind of work (the Lists tab shows its list syncs). Renders nothing
 * while nothing is paused.
 */
export function PausedWorkBanner({ connectionId, only }: { connectionId: string; only?: PausedRunDto['type'] }) {
  const budget = useApiBudget(connectionId);
  const paused = (budget.data?.pausedRuns ?? []).filter((run) => !only || run.type === only);
  if (paused.length === 0) return null;
  return (
    <Stack gap="xs" data-testid={`paused-work-${connectionId}`}>
      {paused.map((run) => (
        <PausedRunAlert key={`${run.type}-${run.id}`} connectionId={connectionId} run={run} />
      ))}
    </Stack>
  );
}

/**
 * The paused state of one run on its own page: the budget's entry for it (with its cause) once loaded, else what the
 * run itself says. `run` is the run as its page has it.
 */
export function PausedRunNotice({
  connectionId,
  run,
}: {
  connectionId: string;
  run: Pick<PausedRunDto, 'type' | 'id' | 'kind' | 'label'> & { pausedReason: string | null; pausedAt?: string | null; resumesAt: string | null };
}) {
  const budget = useApiBudget(connectionId);
  const listed = budget.data?.pausedRuns.find((p) => p.type === run.type && p.id === run.id);
  if (!listed && !run.resumesAt) return null;
  const shown: PausedRunDto = listed ?? {
    type: run.type,
    id: run.id,
    kind: run.kind,
    label: run.label,
    pausedAt: run.pausedAt ?? run.resumesAt!,
    reason: run.pausedReason ?? 'Paused: daily API allocation reached',
    cause: 'daily_allocation',
    resumesAt: run.resumesAt!,
  };
  return <PausedRunAlert connectionId={connectionId} run={shown} showLabel={false} />;
}
