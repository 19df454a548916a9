import { Alert, Stack } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useSession } from '../../api/auth';
import { PageHeader } from '../../components/page-header';
import { ApiKeysSection } from './api-keys-section';
import { MembersSection } from './members-section';

/** Settings → Team: the workspace's members and, for admins, its API keys. */
export function TeamPage() {
  const session = useSession();
  const me = session.data?.user;
  const isAdmin = me?.role === 'admin';
  return (
    <>
      <PageHeader title="Team" description="Manage who can access this workspace and the keys other tools use." />
      <Stack gap="lg">
        <MembersSection me={me} isAdmin={isAdmin} />
        {isAdmin ? (
          <ApiKeysSection />
        ) : (
          <Alert variant="light" color="gray" icon={<IconKey size={18} />}>
            Only workspace admins can manage API keys.
          </Alert>
        )}
      </Stack>
    </>
  );
}
