import { Notifications } from '@mantine/notifications';

/** The toast area (AppProviders loads this module with the first toast). */
export function ToastArea() {
  return <Notifications position="top-right" />;
}
