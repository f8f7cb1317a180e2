import { Injectable } from '@nestjs/common';
import { PAT_PREFIX } from '@atrium/contracts';
import type { Authenticator, AuthUser } from '../../common/auth';
import { ApiTokensService } from './api-tokens.service';
import { rememberAuthenticatedRow } from './authenticated-rows';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';
import { UsersRepository } from './users.repository';

/**
 * Identity's answer to "who is calling?" for the global guard: an access token of a live session,
 * or a live personal access token, of a user who is still active (checked on every request).
 */
@Injectable()
export class BearerAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly users: UsersRepository,
  ) {}

  async authenticate(bearer: string): Promise<AuthUser | null> {
    if (bearer.startsWith(PAT_PREFIX)) {
      const pat = await this.apiTokens.authenticate(bearer);
      return pat ? this.userOf(pat.userId, { sessionId: null, pat: { id: pat.id, scopes: pat.scopes } }) : null;
    }
    const claims = await this.tokens.verifyAccess(bearer);
    if (await this.sessions.isRevoked(claims.sid)) return null;
    return this.userOf(claims.sub, { sessionId: claims.sid });
  }

  private async userOf(userId: string, via: Pick<AuthUser, 'sessionId' | 'pat'>): Promise<AuthUser | null> {
    const user = await this.users.findActive(userId);
    if (!user) return null;
    const caller: AuthUser = {
      id: user.id,
      email: user.email,
      username: user.username,
      emailVerified: user.emailVerifiedAt !== null,
      ...via,
    };
    rememberAuthenticatedRow(caller, user);
    return caller;
  }
}
