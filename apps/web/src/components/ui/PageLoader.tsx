import { Center, Loader, VisuallyHidden } from '@mantine/core';

/** A page that is not there yet (its code or the session is on its way): one status, said once. */
export function PageLoader({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" role="status">
      <Loader size="sm" aria-hidden="true" />
      <VisuallyHidden>{label}</VisuallyHidden>
    </Center>
  );
}
