import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ImportResult } from './csv-import-modal';

describe('ImportResult', () => {
  it('shows created and failed counts and each failed line with its field errors', () => {
    renderWithProviders(
      <ImportResult
        result={{
          created: 3,
          failed: 2,
          errors: [
            { index: 0, errors: [{ field: 'email', messages: ['email must be an email'] }] },
            { index: 4, errors: [{ field: 'engagementState', messages: ['must be one of not_contacted, contacted'] }] },
          ],
        }}
      />,
    );
    expect(screen.getByTestId('import-created')).toHaveTextContent('3');
    expect(screen.getByTestId('import-failed')).toHaveTextContent('2');
    const rows = within(screen.getByRole('table', { name: 'Rows that failed' })).getAllByRole('row').slice(1);
    // Line numbers count the header as line 1, like a spreadsheet.
    expect(rows[0]).toHaveTextContent('2');
    expect(rows[0]).toHaveTextContent('email must be an email');
    expect(rows[1]).toHaveTextContent('6');
    expect(rows[1]).toHaveTextContent('engagementState');
  });
});
