import { Navigate, type RouteObject } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireAuth } from './components/require-auth';
import { CampaignsPage } from './pages/campaigns-page';
import { CompaniesPage } from './pages/companies/companies-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { PersonPage } from './pages/prospects/person-page';
import { ProspectsPage } from './pages/prospects/prospects-page';
import { IntegrationsPage } from './pages/settings/integrations-page';
import { TeamPage } from './pages/settings/team-page';

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/prospects" replace /> },
          { path: 'prospects', element: <ProspectsPage /> },
          { path: 'prospects/:id', element: <PersonPage /> },
          { path: 'companies', element: <CompaniesPage /> },
          { path: 'campaigns', element: <CampaignsPage /> },
          { path: 'settings', element: <Navigate to="/settings/integrations" replace /> },
          { path: 'settings/integrations', element: <IntegrationsPage /> },
          { path: 'settings/team', element: <TeamPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
