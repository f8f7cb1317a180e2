import { Badge } from '@mantine/core';

import type { StatusTone } from '../../../components/ui/StatusBadge';
import type { PostStatus } from '../api/writing.api';
import { STATUS } from '../writing.format';

// The outline (shade 8 on white, shade 4 on dark) marks the badge in every scheme; a light tint
// (gray.0 on white) left a neutral status all but invisible.
const toneColor: Record<StatusTone, string> = { positive: 'green', negative: 'red', neutral: 'gray' };

interface PostStatusBadgeProps {
  status: PostStatus;
  /** Words other than the status's own ("Not saved yet"). */
  label?: string;
}

/**
 * A post's status as a word in an outlined badge. No icon: a neutral status's mark read as a minus
 * sign ("− Draft"), and the word says it all. The text is body text, so it reads in every scheme.
 */
export function PostStatusBadge({ status, label = STATUS[status].label }: PostStatusBadgeProps) {
  const tone = STATUS[status].tone;
  return (
    <Badge
      variant="outline"
      color={toneColor[tone]}
      c="var(--mantine-color-text)"
      size="md"
      radius="sm"
      // Never truncate the word that carries the meaning.
      miw="max-content"
      data-tone={tone}
    >
      {label}
    </Badge>
  );
}
