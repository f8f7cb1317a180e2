import { Button, CopyButton } from '@mantine/core';

import { CheckIcon, CopyIcon } from '../../../components/ui/icons';

/** "Copy key" → "Copied": the visible label says what happened, for sighted and screen-reader users alike. */
export function CopyValueButton({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Button
          variant="default"
          size="xs"
          onClick={copy}
          color={copied ? 'green' : undefined}
          leftSection={copied ? <CheckIcon size={14} /> : <CopyIcon size={14} />}
        >
          {copied ? 'Copied' : label}
        </Button>
      )}
    </CopyButton>
  );
}
