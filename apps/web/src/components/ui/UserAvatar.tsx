import { Avatar, type MantineSize } from '@mantine/core';

/** What naming and picturing a user takes: the session's user, `/auth/me`, a public profile, a list row. */
export interface NamedUser {
  username: string;
  firstName?: string | null;
  lastName?: string | null;
  avatarUrl?: string | null;
}

export interface UserAvatarProps {
  user: NamedUser;
  /** A Mantine size (`xs` 16 px … `xl` 84 px) or pixels. */
  size?: MantineSize | number;
  /** What assistive tech calls it; the user's name by default. */
  label?: string;
  /** Shown next to the user's name already (a header, a list row): hidden from assistive tech. */
  decorative?: boolean;
}

/** The user's full name, or their username without one. */
export const displayName = ({ firstName, lastName, username }: Omit<NamedUser, 'avatarUrl'>): string =>
  [firstName, lastName].filter(Boolean).join(' ') || username;

/**
 * A user's avatar: their picture (`avatarUrl`, a square served by the API), else their initials on a
 * colour derived from their name. Round, in any size:
 *
 *     <UserAvatar user={user} size="sm" decorative />   // beside the name in the header
 *     <UserAvatar user={user} size={96} label="Your avatar" />
 */
export function UserAvatar({ user, size = 'md', label, decorative = false }: UserAvatarProps) {
  const name = displayName(user);
  return (
    <Avatar
      src={user.avatarUrl ?? null}
      name={name}
      color="initials"
      // The colour (from the name) tints the background; the initials are in the text colour, so
      // they keep 4.5:1 whatever colour a name gets (Mantine's own shade of lime gives 3.5:1).
      styles={{ placeholder: { color: 'var(--mantine-color-text)' } }}
      size={size}
      // One name for the picture and the initials alike, on the avatar itself.
      alt=""
      {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label ?? name })}
    />
  );
}
