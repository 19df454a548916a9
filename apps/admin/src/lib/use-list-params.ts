import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { updateListParams } from './list-params';

/** The list state kept in the URL (so it survives reloads and can be shared), and a setter. */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (changes: Record<string, string | number | null | undefined>, options?: { replace?: boolean }) =>
      setParams((current) => updateListParams(current, changes), { replace: options?.replace ?? false }),
    [setParams],
  );
  return [params, update] as const;
}

/**
 * A search box bound to the `search` URL parameter: typing updates the box at once and the
 * URL (and so the query) after `delay` ms of quiet. Changes to the URL from elsewhere
 * (back button, "clear filters") flow back into the box.
 */
export function useDebouncedSearchParam(delay = 300) {
  const [params, update] = useListParams();
  const urlValue = params.get('search') ?? '';
  const [value, setValue] = useState(urlValue);
  const [debounced] = useDebouncedValue(value, delay);
  const lastPushed = useRef(urlValue);

  useEffect(() => {
    if (urlValue !== lastPushed.current) {
      lastPushed.current = urlValue;
      setValue(urlValue);
    }
  }, [urlValue]);

  useEffect(() => {
    const next = debounced.trim();
    if (next === lastPushed.current.trim()) return;
    lastPushed.current = next;
    // Replace, not push: each keystroke pause should not become a history entry.
    update({ search: next || null }, { replace: true });
  }, [debounced, update]);

  return [value, setValue] as const;
}
