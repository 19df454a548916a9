import { Badge, EmptyState, Paper } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { PageHeader } from '../components/page-header';

export function CampaignsPage() {
  return (
    <>
      <PageHeader title="Campaigns" description="Sequences that reach out to your prospects." />
      <Paper withBorder shadow="xs" py={72} px="md">
        <EmptyState
          variant="light"
          icon={<IconSend size={28} />}
          title="Campaigns are on their way"
          description="Outbound sequences are coming with the campaigns feature. Until then, research and qualify prospects, then push them to your CRM."
        >
          <EmptyState.Actions>
            <Badge variant="light" size="lg" radius="sm">
              Coming with the campaigns feature
            </Badge>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    </>
  );
}
