import { Avatar, type MantineSize } from '@mantine/core';

import type { SessionUser } from '../../../lib/session';

export interface UserAvatarProps {
  /** Any user shape with these fields: the session's user, `/auth/me`, a user of a list. */
  user: Pick<SessionUser, 'username' | 'firstName' | 'lastName' | 'avatarUrl'>;
  /** A Mantine size (`xs` 16 px … `xl` 84 px) or pixels. */
  size?: MantineSize | number;
  /** What assistive tech calls it; the user's name by default. */
  label?: string;
  /** Shown next to the user's name already (a header, a list row): hidden from assistive tech. */
  decorative?: boolean;
}

/** The user's full name, or their username without one. */
const nameOf = ({ firstName, lastName, username }: UserAvatarProps['user']) =>
  [firstName, lastName].filter(Boolean).join(' ') || username;

/**
 * A user's avatar: their picture (`avatarUrl`, a square served by the API), else their initials on a
 * colour derived from their name. Round, in any size:
 *
 *     <UserAvatar user={user} size="sm" decorative />   // beside the name in the header
 *     <UserAvatar user={user} size={96} label="Your avatar" />
 */
export function UserAvatar({ user, size = 'md', label, decorative = false }: UserAvatarProps) {
  const name = nameOf(user);
  return (
    <Avatar
      src={user.avatarUrl}
      name={name}
      color="initials"
      size={size}
      // One name for the picture and the initials alike, on the avatar itself.
      alt=""
      {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label ?? name })}
    />
  );
}
