import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { sessionKey } from './api/auth';
import { createQueryClient } from './api/query-client';
import { AppProviders } from './app-providers';
import { routes } from './router';

// Any 401 means the session is gone: forget it, and RequireAuth sends the user to /login.
const queryClient = createQueryClient(() => queryClient.setQueryData(sessionKey, null));
const router = createBrowserRouter(routes);

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

createRoot(container).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
