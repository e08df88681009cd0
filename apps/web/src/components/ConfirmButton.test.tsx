import { describe, expect, it, jest } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConfirmButton } from './ConfirmButton';

describe('ConfirmButton', () => {
  it('acts only after the confirmation, naming its target for screen readers', async () => {
    const user = userEvent.setup();
    const action = jest.fn(() => Promise.resolve());
    const onDone = jest.fn();
    render(
      <ConfirmButton
        verb="Delete"
        target="vm.csv"
        consequence="The results are recomputed without it."
        action={action}
        onDone={onDone}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Delete vm.csv' }));
    expect(action).not.toHaveBeenCalled();
    expect(screen.getByText('The results are recomputed without it.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('button', { name: 'Confirm delete vm.csv' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Delete vm.csv' }));
    await user.click(screen.getByRole('button', { name: 'Confirm delete vm.csv' }));
    expect(action).toHaveBeenCalledTimes(1);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('shows why it failed and can be tried again', async () => {
    const user = userEvent.setup();
    const action = jest
      .fn<() => Promise<unknown>>()
      .mockRejectedValueOnce(new Error('network down'))
      .mockResolvedValueOnce(undefined);
    const onDone = jest.fn();
    render(
      <ConfirmButton
        verb="Revoke"
        target="ci"
        consequence="Scanners using it stop uploading."
        action={action}
        onDone={onDone}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Revoke ci' }));
    await user.click(screen.getByRole('button', { name: 'Confirm revoke ci' }));
    expect((await screen.findByRole('alert')).textContent).toContain('network down');
    expect(onDone).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Confirm revoke ci' }));
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
