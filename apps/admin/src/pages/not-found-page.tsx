import { Button, EmptyState, Paper } from '@mantine/core';
import { IconMapSearch } from '@tabler/icons-react';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Paper withBorder py={72}>
      <EmptyState icon={<IconMapSearch size={28} />} withIndicatorBackground title="Page not found" description="The page you are looking for does not exist.">
        <EmptyState.Actions>
          <Button component={Link} to="/prospects" variant="default">
            Go to prospects
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}
