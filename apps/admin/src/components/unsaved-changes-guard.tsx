import { Button, Group, Modal, Text } from '@mantine/core';
import { useContext, useEffect } from 'react';
import { UNSAFE_DataRouterContext, useBlocker } from 'react-router';

interface GuardProps {
  /** Unsaved changes are on the page. */
  when: boolean;
  /** What would be lost, for the question ("your mapping changes"). */
  what: string;
}

/** Asks before leaving (a link, the browser's back, another tab of the page) while `when` holds; the browser's own prompt on reload or close. */
export function UnsavedChangesGuard(props: GuardProps) {
  const dataRouter = useContext(UNSAFE_DataRouterContext);
  useEffect(() => {
    if (!props.when) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [props.when]);
  // Blocking navigation needs a data router (the app's); component tests render under a plain one.
  return dataRouter ? <NavigationGuard {...props} /> : null;
}

function NavigationGuard({ when, what }: GuardProps) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => when && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search));
  return (
    <DiscardChangesModal opened={blocker.state === 'blocked'} what={what} onStay={() => blocker.reset?.()} onDiscard={() => blocker.proceed?.()} />
  );
}

/** "Leave without saving?" with Stay (default) and Discard. */
export function DiscardChangesModal({ opened, what, onStay, onDiscard }: { opened: boolean; what: string; onStay: () => void; onDiscard: () => void }) {
  return (
    <Modal opened={opened} onClose={onStay} title="Leave without saving?" centered>
      <Text size="sm">{`You have unsaved ${what}. Leaving now discards them.`}</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onStay} data-autofocus>
          Stay and keep editing
        </Button>
        <Button color="red" onClick={onDiscard}>
          Discard changes
        </Button>
      </Group>
    </Modal>
  );
}
