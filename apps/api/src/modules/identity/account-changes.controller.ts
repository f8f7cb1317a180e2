import { Controller, HttpCode, Post, Put } from '@nestjs/common';
import { Body } from '../../common/http/validation';
import { ApiTags } from '@nestjs/swagger';
import { AuthThrottled, type AuthUser, CurrentUser } from '../../common/auth';
import { Route } from '../../common/http/route.decorator';
import { AccountsService, EMAIL_CHANGE_TTL_HOURS, USERNAME_RESERVATION_DAYS } from './accounts.service';
import { ChangeEmailDto, ChangeUsernameDto, MessageDto, TokenDto, UserDto } from './dto/auth.dto';

/** The account's identifiers: moving to another email address, taking another username. */
@ApiTags('Me')
@AuthThrottled()
@Controller()
export class AccountChangesController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('me/email')
  @HttpCode(202)
  @Route({
    summary: 'Ask to move the account to another email address (password-confirmed)',
    description: `Nothing changes yet: a confirmation link (valid ${EMAIL_CHANGE_TTL_HOURS} hours, single use) goes to the new address, a notice to the current one. The answer is the same 202 when the new address has another account (which is mailed nothing), so it tells nobody who has one. A wrong password counts toward the lockout.`,
    access: 'session',
    response: { type: MessageDto, status: 202, description: 'Accepted: check the inbox of the new address' },
    errors: [400, 423],
  })
  async changeEmail(@CurrentUser() user: AuthUser, @Body() body: ChangeEmailDto): Promise<MessageDto> {
    await this.accounts.requestEmailChange(user.id, body.email, body.password);
    return { message: 'Check the inbox of the new address: we sent a link to confirm it' };
  }

  @Post('auth/confirm-email-change')
  @ApiTags('Auth')
  @Route({
    summary: 'Move the account to the new address with the token from the confirmation mail',
    description:
      'The address changes and counts as verified; every other mailed link of the account stops working and the previous address is told. 409 when another account took the address since the request. An unknown, used or expired token answers 400.',
    access: 'public',
    response: { type: MessageDto },
    errors: [400, 409],
  })
  async confirmEmailChange(@Body() body: TokenDto): Promise<MessageDto> {
    const user = await this.accounts.confirmEmailChange(body.token);
    return { message: `Your account's address is now ${user.email}` };
  }

  @Put('me/username')
  @Route({
    summary: 'Take another username (the sign-up rule)',
    description: `The previous username stays reserved for you for ${USERNAME_RESERVATION_DAYS} days: nobody else can take it, you can take it back. Its profile page answers 404 meanwhile. 409 (TAKEN) when another account holds or reserves the new one.`,
    access: 'session',
    response: { type: UserDto },
    errors: [400, 409],
  })
  async changeUsername(@CurrentUser() user: AuthUser, @Body() body: ChangeUsernameDto): Promise<UserDto> {
    return this.accounts.changeUsername(user.id, body.username);
  }
}
