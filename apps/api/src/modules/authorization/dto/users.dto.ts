import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { RegisterDto } from '../../identity/dto/auth.dto';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsSort, ListQueryDto } from '../../../common/http/list';
import { trim } from '../../../common/http/transforms';
import { Optional } from '../../../common/http/optional';
import { IsDateTime } from '../../../common/http/date-time';

export const USER_STATUSES = ['active', 'inactive', 'unverified', 'deleted'] as const;
export const USER_SORT_FIELDS = ['createdAt', 'username', 'email'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

export class ListUsersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Matches username, email, first and last name (case-insensitive)' })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ description: 'Role name' })
  @Optional()
  @IsString()
  @MaxLength(50)
  role?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @Optional()
  @IsIn(USER_STATUSES)
  status?: (typeof USER_STATUSES)[number];

  @ApiPropertyOptional({
    default: '-createdAt',
    example: 'username,-createdAt',
    description: `Comma-separated keys among ${USER_SORT_FIELDS.join(', ')}; prefix - for descending`,
  })
  @Optional()
  @IsSort(USER_SORT_FIELDS)
  sort: string = '-createdAt';
}

/** The sign-up fields without a password: the invite mail lets the owner choose one. */
export class CreateUserDto extends PickType(RegisterDto, ['email', 'username', 'firstName', 'lastName'] as const) {}

export class AdminUpdateUserDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ description: 'false signs the user out everywhere and revokes their tokens at once' })
  @Optional()
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({ description: 'Mark the email address verified (or not)' })
  @Optional()
  @IsBoolean()
  emailVerified?: boolean;
}

export class UserRoleDto {
  @ApiProperty({ format: 'uuid' }) roleId: string;
  @ApiProperty() name: string;
  @ApiProperty() level: number;
  @ApiProperty({ format: 'date-time' }) assignedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
}

export class AdminUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty() isActive: boolean;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() twoFactorEnabled: boolean;
  @ApiProperty({ enum: USER_STATUSES }) status: (typeof USER_STATUSES)[number];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: string | null;
  @ApiProperty({ type: [UserRoleDto] }) roles: UserRoleDto[];
}

export class PublicProfileDto {
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ type: String, nullable: true }) bio: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Path of the avatar image; null without one' })
  avatarUrl: string | null;
  @ApiProperty({ format: 'date-time' }) memberSince: string;
}

export class AuditQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Who did it' })
  @Optional()
  @IsUUID('all', { message: 'actor must be a user id' })
  actor?: string;

  @ApiPropertyOptional({ example: 'auth.login_failed' })
  @Optional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ example: 'user:0190…', description: 'What it was done to (`kind:id`)' })
  @Optional()
  @IsString()
  @MaxLength(200)
  target?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsDateTime()
  to?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty() action: string;
  @ApiProperty({ type: String, nullable: true }) target: string | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) at: string;
}
