import { AppShell, Avatar, Badge, Burger, Group, Menu, NavLink, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconActivity,
  IconAlertTriangle,
  IconArrowsExchange,
  IconBan,
  IconShieldLock,
  IconBuildingSkyscraper,
  IconChevronDown,
  IconGauge,
  IconHistory,
  IconListDetails,
  IconLogout,
  IconPlugConnected,
  IconRefresh,
  IconSend,
  IconSettings,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout, useSession } from '../api/auth';
import { initials } from '../lib/format';
import { ConduitLogo } from './conduit-logo';

interface NavItem {
  label: string;
  to: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
}

const mainNav: NavItem[] = [
  { label: 'Prospects', to: '/prospects', icon: IconUsers },
  { label: 'Companies', to: '/companies', icon: IconBuildingSkyscraper },
  { label: 'Campaigns', to: '/campaigns', icon: IconSend },
  { label: 'Lists', to: '/lists', icon: IconListDetails },
  { label: 'Activity', to: '/activity', icon: IconActivity },
  { label: 'Needs attention', to: '/needs-attention', icon: IconAlertTriangle },
  { label: 'Workflows', to: '/workflows', icon: IconArrowsExchange },
];

const settingsNav: NavItem[] = [
  { label: 'Integrations', to: '/settings/integrations', icon: IconPlugConnected },
  { label: 'Sync', to: '/settings/sync', icon: IconRefresh },
  { label: 'Sync history', to: '/settings/sync-history', icon: IconHistory },
  { label: 'API budget', to: '/settings/api-budget', icon: IconGauge },
  { label: 'Team', to: '/settings/team', icon: IconUsersGroup },
  { label: 'Do not contact', to: '/settings/dnc', icon: IconBan },
  { label: 'Privacy', to: '/settings/privacy', icon: IconShieldLock },
];

function NavItemLink({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const Icon = item.icon;
  return (
    <NavLink
      component={RouterNavLink}
      to={item.to}
      label={item.label}
      leftSection={<Icon size={18} stroke={1.6} />}
      onClick={onNavigate}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      fw={500}
    />
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const user = session.data?.user;
  const settingsOpen = location.pathname.startsWith('/settings');

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
      styles={{ main: { background: 'var(--mantine-color-gray-0)' } }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <ConduitLogo />
            {session.data && (
              <Badge variant="light" color="gray" radius="sm" visibleFrom="xs">
                {session.data.workspace.name}
              </Badge>
            )}
          </Group>
          {user && (
            <Menu position="bottom-end" width={220} shadow="md">
              <Menu.Target>
                <UnstyledButton aria-label="Account menu">
                  <Group gap="xs" wrap="nowrap">
                    <Avatar color="indigo" radius="xl" size={32}>
                      {initials(user.name)}
                    </Avatar>
                    <Stack gap={0} visibleFrom="sm">
                      <Text size="sm" fw={600} lh={1.2}>
                        {user.name}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.2}>
                        {user.email}
                      </Text>
                    </Stack>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Signed in as {user.role}</Menu.Label>
                <Menu.Item leftSection={<IconSettings size={16} />} onClick={() => void navigate('/settings/team')}>
                  Team settings
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item
                  color="red"
                  leftSection={<IconLogout size={16} />}
                  onClick={() =>
                    logout.mutate(undefined, {
                      onSettled: () => void navigate('/login', { replace: true }),
                    })
                  }
                >
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={2}>
            {mainNav.map((item) => (
              <NavItemLink key={item.to} item={item} onNavigate={close} />
            ))}
            <NavLink
              label="Settings"
              leftSection={<IconSettings size={18} stroke={1.6} />}
              defaultOpened={settingsOpen}
              fw={500}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            >
              {settingsNav.map((item) => (
                <NavItemLink key={item.to} item={item} onNavigate={close} />
              ))}
            </NavLink>
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            Conduit · CRM sync for outbound
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
