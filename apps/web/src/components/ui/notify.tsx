import { notifications } from '@mantine/notifications';

import { AlertIcon, CheckIcon } from './icons';

/** The toast's close button is an icon: it needs a name of its own (axe: button-name). */
const CLOSE_BUTTON = { 'aria-label': 'Close notification' };

/**
 * Says that something worked, in a toast that outlives the page it came from (an account deleted
 * on the settings page is confirmed on the home page). Announced when it appears; it closes by
 * itself, and stays while hovered.
 */
export function notifySuccess(message: string): void {
  notifications.show({
    message,
    color: 'green',
    icon: <CheckIcon size={18} />,
    withBorder: true,
    closeButtonProps: CLOSE_BUTTON,
  });
}

/** Says that something done in the background failed, where no form or section can show it. */
export function notifyFailure(title: string, message: string): void {
  notifications.show({
    title,
    message,
    color: 'red',
    icon: <AlertIcon size={18} />,
    withBorder: true,
    autoClose: false,
    closeButtonProps: CLOSE_BUTTON,
  });
}
