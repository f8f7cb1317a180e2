import { Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Body } from '../../common/http/validation';
import { ApiTags } from '@nestjs/swagger';
import { PatScope } from '@atrium/contracts';
import { AUTHORIZER, type Authorizer, type AuthUser, CurrentUser } from '../../common/auth';
import { Route } from '../../common/http/route.decorator';
import { PersonalTokensService } from './personal-tokens.service';
import { AccountsService } from '../identity/accounts.service';
import { ApiTokensService } from '../identity/api-tokens.service';
import {
  ApiTokenDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  DeleteAccountDto,
  MeDto,
  MessageDto,
  UpdateMeDto,
  UserDto,
} from '../identity/dto/auth.dto';

/**
 * The signed-in user's own account: profile, deletion, personal access tokens. Lives here, not in
 * identity, because it reports and limits by permissions (identity knows nothing of roles).
 */
@ApiTags('Me')
@Controller()
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly apiTokens: ApiTokensService,
    private readonly personalTokens: PersonalTokensService,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
  ) {}

  @Get('auth/me')
  @ApiTags('Auth')
  @Route({
    summary: 'The signed-in user, with roles and permissions',
    access: 'signed-in',
    scope: PatScope.PROFILE_READ,
    response: { type: MeDto },
  })
  async me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    const [profile, roles, permissions] = await Promise.all([
      this.accounts.profileOf(user),
      this.authorizer.roleNames(user),
      this.authorizer.heldPermissions(user),
    ]);
    return { ...profile, roles, permissions };
  }

  @Patch('me')
  @Route({
    summary: 'Update your profile: names, bio, preferences (any other field is rejected)',
    access: 'signed-in',
    scope: PatScope.PROFILE_WRITE,
    response: { type: UserDto },
    errors: [400],
  })
  async update(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto): Promise<UserDto> {
    return this.accounts.updateProfile(user.id, body);
  }

  @Delete('me')
  @Route({
    summary: 'Delete your account (password-confirmed)',
    description:
      'Signs out everywhere and revokes every token at once. The email address and username become free again after the retention period (30 days).',
    access: 'session',
    response: { type: MessageDto },
    errors: [400],
  })
  async remove(@CurrentUser() user: AuthUser, @Body() body: DeleteAccountDto): Promise<MessageDto> {
    await this.accounts.deleteAccount(user.id, body.password);
    return { message: 'Your account is deleted' };
  }

  @Get('me/tokens')
  @Route({
    summary: 'Your personal access tokens (without their secret)',
    access: 'session',
    response: { type: ApiTokenDto, array: true },
  })
  async listTokens(@CurrentUser() user: AuthUser): Promise<ApiTokenDto[]> {
    return this.apiTokens.list(user.id);
  }

  @Post('me/tokens')
  @Route({
    summary: 'Create a personal access token for an integration; the token is shown only in this response',
    access: 'session',
    verifiedEmail: true,
    response: { type: CreatedApiTokenDto, status: 201 },
    errors: [400, 409],
  })
  async createToken(@CurrentUser() user: AuthUser, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    return this.personalTokens.create(user, body);
  }

  @Delete('me/tokens/:id')
  @Route({
    summary: 'Revoke a personal access token; it stops working at once',
    access: 'session',
    response: { type: MessageDto },
    errors: [400, 404],
  })
  async revokeToken(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.apiTokens.revoke(user.id, id);
    return { message: 'Token revoked' };
  }
}
