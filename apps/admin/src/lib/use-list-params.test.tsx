import { TextInput } from '@mantine/core';
import { act, fireEvent, screen } from '@testing-library/react';
import { Link } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { useDebouncedSearchParam } from './use-list-params';

function SearchBox() {
  const [value, setValue] = useDebouncedSearchParam(300);
  return (
    <>
      <TextInput aria-label="Search" value={value} onChange={(event) => setValue(event.currentTarget.value)} />
      <Link to="/prospects">clear</Link>
    </>
  );
}

const location = () => screen.getByTestId('location').textContent;

describe('useDebouncedSearchParam', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts from the search already in the URL', () => {
    renderWithProviders(<SearchBox />, { route: '/prospects?search=ada' });
    expect(screen.getByLabelText('Search')).toHaveValue('ada');
  });

  it('writes the search to the URL only after typing pauses, and resets the page', () => {
    renderWithProviders(<SearchBox />, { route: '/prospects?page=3&sort=email' });
    const input = screen.getByLabelText('Search');
    fireEvent.change(input, { target: { value: 'lo' } });
    act(() => {
      vi.advanceTimersByTime(100);
    });
    fireEvent.change(input, { target: { value: 'love' } });
    act(() => {
      vi.advanceTimersByTime(200);
    });
    expect(location()).toBe('/prospects?page=3&sort=email');
    act(() => {
      vi.advanceTimersByTime(150);
    });
    expect(location()).toBe('/prospects?sort=email&search=love');
  });

  it('removes the parameter when the box is emptied', () => {
    renderWithProviders(<SearchBox />, { route: '/prospects?search=ada' });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: '  ' } });
    act(() => {
      vi.advanceTimersByTime(400);
    });
    expect(location()).toBe('/prospects');
  });

  it('follows the URL when it changes from elsewhere', () => {
    renderWithProviders(<SearchBox />, { route: '/prospects?search=ada' });
    fireEvent.click(screen.getByText('clear'));
    expect(screen.getByLabelText('Search')).toHaveValue('');
    act(() => {
      vi.advanceTimersByTime(400);
    });
    expect(location()).toBe('/prospects');
  });
});
