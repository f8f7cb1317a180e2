import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth';
import { Errors } from '../../common/http/errors';
import { ApiTokensService } from '../identity/api-tokens.service';
import type { CreateApiTokenDto, CreatedApiTokenDto } from '../identity/dto/auth.dto';
import { AuthorizationService } from './authorization.service';

/** Personal access tokens as the owner creates them: never scoped beyond what the owner holds. */
@Injectable()
export class PersonalTokensService {
  constructor(
    private readonly apiTokens: ApiTokensService,
    private readonly authorization: AuthorizationService,
  ) {}

  async create(owner: AuthUser, input: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    const held = new Set(await this.authorization.heldPermissions(owner));
    const unheld = input.scopes.filter((scope) => !held.has(scope));
    if (unheld.length > 0) throw Errors.forbidden(`A token cannot have scopes you do not hold: ${unheld.join(', ')}`);
    return this.apiTokens.create(owner.id, {
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : undefined,
    });
  }
}
