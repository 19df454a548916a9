import { Center, Loader } from '@mantine/core';
import type { ComponentType } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireAuth } from './components/require-auth';
import { LoginPage } from './pages/login-page';

/** The page area while the first page's code loads (React Router's HydrateFallback, so it does not warn on every page). */
function PageLoading() {
  return (
    <Center py="xl">
      <Loader size="sm" aria-label="Loading page" />
    </Center>
  );
}

/** A page loaded on first visit (the router keeps the current page on screen meanwhile). */
function page(load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy' | 'HydrateFallback'> {
  return { lazy: async () => ({ Component: await load() }), HydrateFallback: PageLoading };
}

// Pages load on first visit, so the first download holds only the shell and the login page.
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/prospects" replace /> },
          { path: 'prospects', ...page(async () => (await import('./pages/prospects/prospects-page')).ProspectsPage) },
          { path: 'prospects/:id', ...page(async () => (await import('./pages/prospects/person-page')).PersonPage) },
          { path: 'companies', ...page(async () => (await import('./pages/companies/companies-page')).CompaniesPage) },
          { path: 'companies/:id', ...page(async () => (await import('./pages/sync/company-page')).CompanyPage) },
          { path: 'campaigns', ...page(async () => (await import('./pages/campaigns/campaigns-page')).CampaignsPage) },
          { path: 'campaigns/:id', ...page(async () => (await import('./pages/campaigns/campaign-editor-page')).CampaignEditorPage) },
          { path: 'lists', ...page(async () => (await import('./pages/lists/lists-page')).ListsPage) },
          { path: 'settings/dnc', ...page(async () => (await import('./pages/dnc/dnc-settings-page')).DncSettingsPage) },
          { path: 'activity', ...page(async () => (await import('./pages/activity/activity-log-page')).ActivityLogPage) },
          { path: 'needs-attention', ...page(async () => (await import('./pages/export/needs-attention-page')).NeedsAttentionPage) },
          { path: 'workflows', ...page(async () => (await import('./pages/workflows/workflows-page')).WorkflowsPage) },
          { path: 'workflows/:slug', ...page(async () => (await import('./pages/workflows/workflow-page')).WorkflowPage) },
          { path: 'settings', element: <Navigate to="/settings/integrations" replace /> },
          {
            path: 'settings/integrations',
            ...page(async () => (await import('./pages/settings/integrations-page')).IntegrationsPage),
          },
          {
            path: 'settings/integrations/:crm',
            ...page(async () => (await import('./pages/connection/connection-page')).ConnectionPage),
          },
          { path: 'settings/sync', ...page(async () => (await import('./pages/sync/sync-settings-page')).SyncSettingsPage) },
          { path: 'settings/sync-history', ...page(async () => (await import('./pages/sync/sync-history-page')).SyncHistoryPage) },
          { path: 'settings/sync-history/:id', ...page(async () => (await import('./pages/sync/sync-run-page')).SyncRunPage) },
          { path: 'settings/api-budget', ...page(async () => (await import('./pages/settings/api-budget/api-budget-page')).ApiBudgetPage) },
          { path: 'settings/team', ...page(async () => (await import('./pages/settings/team-page')).TeamPage) },
          { path: 'settings/privacy', ...page(async () => (await import('./pages/settings/privacy-page')).PrivacyPage) },
          { path: '*', ...page(async () => (await import('./pages/not-found-page')).NotFoundPage) },
        ],
      },
    ],
  },
];
