import { avatarUrl } from '../../avatars/avatar-key';
import type { ApiTokenEntity } from '../entities/api-token.entity';
import type { SessionEntity } from '../entities/session.entity';
import type { UserEntity } from '../entities/user.entity';
import type { ApiTokenDto, SessionDto, UserDto } from './auth.dto';

/** The account as its owner sees it (never the password hash or 2FA secrets). */
export const toUserDto = (user: UserEntity): UserDto => ({
  id: user.id,
  email: user.email,
  username: user.username,
  firstName: user.firstName,
  lastName: user.lastName,
  bio: user.bio,
  preferences: user.preferences,
  emailVerified: user.emailVerifiedAt !== null,
  twoFactorEnabled: user.totpEnabledAt !== null,
  avatarUrl: avatarUrl(user.avatarKey),
  createdAt: user.createdAt.toISOString(),
});

export const toApiTokenDto = (token: ApiTokenEntity): ApiTokenDto => ({
  id: token.id,
  name: token.name,
  prefix: token.tokenPrefix,
  scopes: token.scopes,
  createdAt: token.createdAt.toISOString(),
  expiresAt: token.expiresAt?.toISOString() ?? null,
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
});

export const toSessionDto = (
  session: SessionEntity & { startedAt: Date },
  currentSessionId: string | null,
): SessionDto => ({
  id: session.familyId,
  userAgent: session.userAgent,
  ip: session.ip,
  createdAt: session.startedAt.toISOString(),
  lastUsedAt: session.lastUsedAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  current: session.familyId === currentSessionId,
});
