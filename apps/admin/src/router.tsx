import { Navigate, type RouteObject } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireAuth } from './components/require-auth';
import { LoginPage } from './pages/login-page';

// Pages load on first visit (the router keeps the current page on screen meanwhile), so the
// first download holds only the shell and the login page.
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/prospects" replace /> },
          { path: 'prospects', lazy: async () => ({ Component: (await import('./pages/prospects/prospects-page')).ProspectsPage }) },
          { path: 'prospects/:id', lazy: async () => ({ Component: (await import('./pages/prospects/person-page')).PersonPage }) },
          { path: 'companies', lazy: async () => ({ Component: (await import('./pages/companies/companies-page')).CompaniesPage }) },
          { path: 'companies/:id', lazy: async () => ({ Component: (await import('./pages/sync/company-page')).CompanyPage }) },
          { path: 'campaigns', lazy: async () => ({ Component: (await import('./pages/campaigns/campaigns-page')).CampaignsPage }) },
          { path: 'campaigns/:id', lazy: async () => ({ Component: (await import('./pages/campaigns/campaign-editor-page')).CampaignEditorPage }) },
          { path: 'lists', lazy: async () => ({ Component: (await import('./pages/lists/lists-page')).ListsPage }) },
          { path: 'settings/dnc', lazy: async () => ({ Component: (await import('./pages/dnc/dnc-settings-page')).DncSettingsPage }) },
          { path: 'activity', lazy: async () => ({ Component: (await import('./pages/activity/activity-log-page')).ActivityLogPage }) },
          { path: 'needs-attention', lazy: async () => ({ Component: (await import('./pages/export/needs-attention-page')).NeedsAttentionPage }) },
          { path: 'workflows', lazy: async () => ({ Component: (await import('./pages/workflows/workflows-page')).WorkflowsPage }) },
          { path: 'workflows/:slug', lazy: async () => ({ Component: (await import('./pages/workflows/workflow-page')).WorkflowPage }) },
          { path: 'settings', element: <Navigate to="/settings/integrations" replace /> },
          {
            path: 'settings/integrations',
            lazy: async () => ({ Component: (await import('./pages/settings/integrations-page')).IntegrationsPage }),
          },
          { path: 'settings/sync', lazy: async () => ({ Component: (await import('./pages/sync/sync-settings-page')).SyncSettingsPage }) },
          { path: 'settings/sync-history', lazy: async () => ({ Component: (await import('./pages/sync/sync-history-page')).SyncHistoryPage }) },
          { path: 'settings/sync-history/:id', lazy: async () => ({ Component: (await import('./pages/sync/sync-run-page')).SyncRunPage }) },
          { path: 'settings/team', lazy: async () => ({ Component: (await import('./pages/settings/team-page')).TeamPage }) },
          { path: '*', lazy: async () => ({ Component: (await import('./pages/not-found-page')).NotFoundPage }) },
        ],
      },
    ],
  },
];
