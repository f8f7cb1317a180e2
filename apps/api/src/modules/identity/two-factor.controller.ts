import { Controller, Post } from '@nestjs/common';
import { Body } from '../../common/http/validation';
import { ApiTags } from '@nestjs/swagger';
import { AuthThrottled, type AuthUser, CurrentUser } from '../../common/auth';
import { Route } from '../../common/http/route.decorator';
import { DisableTwoFactorDto, MessageDto, RecoveryCodesDto, TwoFactorCodeDto, TwoFactorSetupDto } from './dto/auth.dto';
import { TwoFactorService } from './two-factor.service';

/** TOTP two-factor authentication of one's own account. */
@ApiTags('Auth')
@AuthThrottled()
@Controller('auth/2fa')
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post('setup')
  @Route({
    summary: 'Start enabling two-factor authentication: a new TOTP secret and its otpauth URI',
    access: 'session',
    response: { type: TwoFactorSetupDto },
    errors: [409],
  })
  setup(@CurrentUser() user: AuthUser): Promise<TwoFactorSetupDto> {
    return this.twoFactor.setup(user.id);
  }

  @Post('enable')
  @Route({
    summary: 'Turn two-factor authentication on with a first code; returns ten recovery codes, once',
    access: 'session',
    response: { type: RecoveryCodesDto },
    errors: [400, 409],
  })
  async enable(@CurrentUser() user: AuthUser, @Body() body: TwoFactorCodeDto): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.twoFactor.enable(user.id, body.code) };
  }

  @Post('disable')
  @Route({
    summary: 'Turn two-factor authentication off (password and a code or recovery code)',
    access: 'session',
    response: { type: MessageDto },
    errors: [400, 409],
  })
  async disable(@CurrentUser() user: AuthUser, @Body() body: DisableTwoFactorDto): Promise<MessageDto> {
    await this.twoFactor.disable(user.id, body.password, body.code);
    return { message: 'Two-factor authentication is off' };
  }
}
