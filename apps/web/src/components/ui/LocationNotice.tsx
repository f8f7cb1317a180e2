import { Alert } from '@mantine/core';
import { useLocation } from 'react-router';

import { CheckIcon } from './icons';

/** Navigation state a page can leave for the next one: `navigate('/', { state: { notice } })`. */
export interface NoticeState {
  notice?: string;
}

const noticeOf = (state: unknown): string | undefined =>
  state && typeof state === 'object' && typeof (state as NoticeState).notice === 'string'
    ? (state as NoticeState).notice
    : undefined;

/** Says what just happened (account deleted …) on the page the app went to afterwards. */
export function LocationNotice() {
  const notice = noticeOf(useLocation().state as unknown);
  if (!notice) return null;
  return (
    <Alert role="status" color="green" variant="light" icon={<CheckIcon size={20} />} mb="lg">
      {notice}
    </Alert>
  );
}
