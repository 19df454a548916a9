import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { ConfirmModal } from './confirm-modal';

/** The part of a react-query mutation the flow uses (any `useMutation` result fits). */
export interface ConfirmableMutation<V> {
  mutate: (variables: V, options?: { onSuccess?: () => void }) => void;
  isPending: boolean;
  error: unknown;
  reset: () => void;
}

export interface ConfirmDeleteOptions<T, V> {
  /** The mutation that removes the item, and what it is called with. */
  mutation: ConfirmableMutation<V>;
  variables: (item: T) => V;
  title: string | ((item: T) => string);
  /** The button that confirms: "Delete", "Remove", "Revoke", "Disconnect"… */
  confirmLabel?: string;
  /** What happens, in words, for this item. */
  message: (item: T) => ReactNode;
  /** The notification once it is done (none when omitted). */
  notify?: (item: T) => { title: string; message: string };
  onDone?: (item: T) => void;
}

/**
 * Ask, then remove: the one confirm flow of the admin. `ask(item)` opens the modal; it shows the mutation's progress
 * and error (the modal stays open on failure), closes on success, notifies and calls `onDone`.
 * Render `modal` once in the page.
 */
export function useConfirmDelete<T, V>({ mutation, variables, title, confirmLabel = 'Delete', message, notify, onDone }: ConfirmDeleteOptions<T, V>) {
  const [target, setTarget] = useState<T | null>(null);
  const close = () => {
    setTarget(null);
    mutation.reset();
  };
  const confirm = () => {
    if (target === null) return;
    const item = target;
    mutation.mutate(variables(item), {
      onSuccess: () => {
        const note = notify?.(item);
        if (note) notifications.show({ color: 'teal', ...note });
        close();
        onDone?.(item);
      },
    });
  };
  const modal = (
    <ConfirmModal
      opened={target !== null}
      title={target === null ? '' : typeof title === 'string' ? title : title(target)}
      confirmLabel={confirmLabel}
      onClose={close}
      loading={mutation.isPending}
      error={mutation.error}
      onConfirm={confirm}
    >
      {target === null ? '' : message(target)}
    </ConfirmModal>
  );
  return { ask: (item: T) => setTarget(() => item), modal };
}
