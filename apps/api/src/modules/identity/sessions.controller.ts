import { Controller, Delete, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../common/auth';
import { Route } from '../../common/http/route.decorator';
import { MessageDto, SessionDto } from './dto/auth.dto';
import { SessionsService } from './sessions.service';

/** The signed-in devices of one's own account. */
@ApiTags('Auth')
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @Route({
    summary: 'The signed-in sessions of this account (devices)',
    access: 'session',
    response: { type: SessionDto, array: true },
  })
  async list(@CurrentUser() user: AuthUser): Promise<SessionDto[]> {
    return this.sessions.listLive(user.id, user.sessionId);
  }

  @Delete(':id')
  @Route({
    summary: 'End one session of this account',
    access: 'session',
    response: { type: MessageDto },
    errors: [400, 404],
  })
  async revoke(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.sessions.revokeOwn(user.id, id);
    return { message: 'Session ended' };
  }
}
