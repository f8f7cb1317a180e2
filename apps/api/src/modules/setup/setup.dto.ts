import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../common/http/optional';
import { trim } from '../../common/http/transforms';
import { RegisterDto } from '../identity/dto/auth.dto';

export class SetupStatusDto {
  @ApiProperty({
    description: 'True while no active admin exists: `POST /setup` creates the first one. False once one does.',
  })
  required: boolean;

  @ApiProperty({
    description:
      'Whether `POST /setup` needs the one-time setup code printed in the server log at start-up (in production).',
  })
  codeRequired: boolean;
}

export class SetupDto extends PickType(RegisterDto, ['email', 'username', 'password'] as const) {
  @ApiPropertyOptional({
    maxLength: 100,
    example: 'The Reading Room',
    description:
      "The site's name, shown on its home page (`GET /info`: `siteName`); blank or absent: none. Control characters become spaces.",
  })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  siteName?: string;

  @ApiPropertyOptional({
    maxLength: 64,
    example: '7KQ2-M9XD-4HT0-VBNA',
    description:
      'The one-time setup code from the server log (required when `GET /setup` says `codeRequired`); case, spaces and dashes do not matter',
  })
  @Optional()
  @IsString()
  @MaxLength(64)
  code?: string;
}
