import { Controller, Get, Post, Res } from '@nestjs/common';
import { Body } from '../../common/http/validation';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthThrottled } from '../../common/auth';
import { Route } from '../../common/http/route.decorator';
import { LoginResponseDto } from '../identity/dto/auth.dto';
import { SignInResponses } from '../identity/sign-in-responses';
import { SetupDto, SetupStatusDto } from './setup.dto';
import { SetupService } from './setup.service';

/** First-run setup: the first admin, made from the browser. */
@ApiTags('Setup')
@Controller('setup')
export class SetupController {
  constructor(
    private readonly setup: SetupService,
    private readonly responses: SignInResponses,
  ) {}

  @Get()
  @Route({
    summary: 'Whether this site still needs its first admin (first-run setup), and whether a setup code is asked',
    access: 'public',
    response: { type: SetupStatusDto },
  })
  status(): Promise<SetupStatusDto> {
    return this.setup.status();
  }

  @Post()
  @AuthThrottled()
  @Route({
    summary: 'First-run setup: create the first admin (email verified) and sign in',
    description: [
      'Open only while no active admin exists (`GET /setup`: `required`); afterwards, and to every setup but one of several sent at once, it answers 409.',
      'In production (`codeRequired`) the body carries the one-time setup code the server printed in its log at start-up; a missing or wrong code answers 403. The codes are spent by a successful setup.',
      'The answer is that of `POST /auth/login`: an access token, the user, and the refresh token as an HttpOnly cookie. Rate-limited like the other sign-in routes.',
    ].join('\n\n'),
    access: 'public',
    response: { type: LoginResponseDto, status: 201, description: 'The first admin, signed in' },
    errors: [400, 403, 409],
  })
  async setUp(@Body() body: SetupDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponseDto> {
    return this.responses.send(await this.setup.setUp(body), reply, false);
  }
}
