import { Badge, type BadgeProps } from '@mantine/core';

import { CheckIcon, CrossIcon, MinusIcon } from './icons';

export type StatusTone = 'positive' | 'negative' | 'neutral';

const toneColor: Record<StatusTone, string> = { positive: 'green', negative: 'red', neutral: 'gray' };
const toneIcon: Record<StatusTone, typeof CheckIcon> = { positive: CheckIcon, negative: CrossIcon, neutral: MinusIcon };

interface StatusBadgeProps extends Omit<BadgeProps, 'color' | 'leftSection' | 'children'> {
  tone: StatusTone;
  /** The visible word that carries the meaning; colour and icon only reinforce it. */
  label: string;
}

export function StatusBadge({ tone, label, size = 'md', ...props }: StatusBadgeProps) {
  const ToneIcon = toneIcon[tone];
  return (
    <Badge
      variant="light"
      color={toneColor[tone]}
      size={size}
      radius="sm"
      leftSection={
        <ToneIcon
          size={size === 'xl' || size === 'lg' ? 16 : 12}
          stroke={3}
          color={`var(--mantine-color-${toneColor[tone]}-light-color)`}
        />
      }
      // Mantine's light green label (green.9 on green.1) is below 4.5:1; body text on the tint is not.
      c="var(--mantine-color-text)"
      // Never truncate the word that carries the meaning ("Down" must not become "Do…").
      miw="max-content"
      data-tone={tone}
      {...props}
    >
      {label}
    </Badge>
  );
}
