import { Alert, Anchor, Box, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useSession } from '../api/auth';
import { isApiError } from '../api/client';
import { ConduitLogo } from '../components/conduit-logo';
import { describeSubmitError } from '../lib/form-errors';

/** Only same-app paths: `next` comes from the URL and must not send users to another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/prospects';
}

function loginErrorMessage(error: unknown): string {
  if (isApiError(error) && error.status === 401) return 'Incorrect email or password. Check both and try again.';
  if (isApiError(error) && error.status === 429) return 'Too many sign-in attempts. Wait a minute and try again.';
  return describeSubmitError(error, []).summary ?? 'Sign-in failed. Please try again.';
}

export function LoginPage() {
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : 'Enter a valid email address'),
      password: (value) => (value ? null : 'Enter your password'),
    },
  });

  if (session.data) return <Navigate to={next} replace />;

  const submit = form.onSubmit((values) => {
    login.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => void navigate(next, { replace: true }),
        onError: (error) => {
          if (isApiError(error) && error.status === 400) form.setErrors(describeSubmitError(error, ['email', 'password']).fieldErrors);
        },
      },
    );
  });

  return (
    <Box
      mih="100vh"
      style={{ background: 'linear-gradient(160deg, var(--mantine-color-indigo-0) 0%, var(--mantine-color-gray-0) 45%, var(--mantine-color-violet-0) 100%)' }}
    >
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={420} gap="lg">
          <Center>
            <ConduitLogo size="lg" />
          </Center>
          <Paper withBorder shadow="sm" p={32} radius="lg">
            <Title order={3} mb={4}>
              Sign in to your workspace
            </Title>
            <Text c="dimmed" size="sm" mb="lg">
              Keep your prospects and your CRM in sync.
            </Text>
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                {login.isError && (
                  <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert" data-testid="login-error">
                    {loginErrorMessage(login.error)}
                  </Alert>
                )}
                <TextInput label="Email" placeholder="you@company.com" autoComplete="username" type="email" required {...form.getInputProps('email')} />
                <PasswordInput label="Password" placeholder="Your password" autoComplete="current-password" required {...form.getInputProps('password')} />
                <Button type="submit" fullWidth loading={login.isPending} mt="xs">
                  Sign in
                </Button>
              </Stack>
            </form>
          </Paper>
          <Text ta="center" size="xs" c="dimmed">
            Need access? Ask a workspace admin to invite you. ·{' '}
            <Anchor href="/api/docs" size="xs" target="_blank" rel="noreferrer">
              API reference
            </Anchor>
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
