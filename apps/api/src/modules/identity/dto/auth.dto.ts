import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  COLOR_SCHEMES,
  DEFAULT_PREFERENCES,
  DENSITIES,
  FONT_SCALES,
  MAX_READING_LEVELS,
  PAT_SCOPES,
  type PatScope,
} from '@atrium/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsEmail,
  IsObject,
  IsString,
  Length,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords.service';
import { NotBlank, trim } from '../../../common/http/transforms';
import { Optional } from '../../../common/http/optional';
import { IsDateTime } from '../../../common/http/date-time';

const PLAIN_EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', format: 'email', maxLength: 254 })
  @Transform(trim)
  @IsEmail()
  // Plain addresses only: quoted local parts (which may hide line breaks) and spaces are
  // accepted by the RFC but refused by most mail servers later, after the account exists.
  @Matches(PLAIN_EMAIL, { message: 'email must be a plain address (letters, digits and . _ % + - before the @)' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'ada', description: '3–64 of letters, digits, `_`, `.`, `-`; unique ignoring case' })
  @Transform(trim)
  @IsString()
  @Matches(/^[a-zA-Z0-9_.-]{3,64}$/, { message: 'username must be 3–64 letters, digits, "_", "." or "-"' })
  username: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
    example: 'violet-Lantern-orbit-42',
    description: 'Judged by strength (zxcvbn score 3 or more), not by character classes: a few unrelated words do well',
  })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password: string;

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
}

export class LoginDto {
  @ApiProperty({ description: 'Email address or username', example: 'ada' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @NotBlank()
  @MaxLength(254)
  login: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiPropertyOptional({
    description: 'The current code from the authenticator app, or a recovery code, for accounts with 2FA',
    example: '123456',
  })
  @Optional()
  @IsString()
  @MaxLength(32)
  totpCode?: string;

  @ApiPropertyOptional({
    description:
      'For clients that cannot keep cookies (scripts, mobile apps): also return the refresh token in the body. Browsers should leave this out and rely on the HttpOnly cookie.',
  })
  @Optional()
  @IsBoolean()
  refreshTokenInBody?: boolean;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token, for clients that do not use the cookie' })
  @Optional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;

  @ApiPropertyOptional({ description: 'Return the rotated refresh token in the body as well' })
  @Optional()
  @IsBoolean()
  refreshTokenInBody?: boolean;
}

export class TokenDto {
  @ApiProperty()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;
}

export class EmailDto {
  @ApiProperty({ example: 'ada@example.com', format: 'email', maxLength: 254 })
  @Transform(trim)
  @IsEmail()
  // Plain addresses only: quoted local parts (which may hide line breaks) and spaces are
  // accepted by the RFC but refused by most mail servers later, after the account exists.
  @Matches(PLAIN_EMAIL, { message: 'email must be a plain address (letters, digits and . _ % + - before the @)' })
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto extends TokenDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  newPassword: string;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ type: String, maxLength: 100, nullable: true, description: 'null or "" clears it' })
  @Optional({ nullable: true })
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 100, nullable: true, description: 'null or "" clears it' })
  @Optional({ nullable: true })
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 2000, nullable: true, description: 'null or "" clears it' })
  @Optional({ nullable: true })
  @IsString()
  @MaxLength(2000)
  bio?: string | null;

  @ApiPropertyOptional({
    type: () => PreferencesDto,
    description:
      'Display preferences (libs/contracts `UserPreferences`); replaces the stored set. Unknown keys are refused.',
  })
  @Optional()
  @IsObject()
  preferences?: Record<string, unknown>;
}

/** The typed preferences schema of `@atrium/contracts` (user-preferences), as documented. */
export class PreferencesDto {
  // Defaults are in the descriptions, not `default`: a stored set may lack keys (the client fills them in).
  @ApiPropertyOptional({ enum: COLOR_SCHEMES, description: `Absent: ${DEFAULT_PREFERENCES.colorScheme}` })
  colorScheme?: string;

  @ApiPropertyOptional({ description: `Absent: ${DEFAULT_PREFERENCES.reduceMotion}` })
  reduceMotion?: boolean;

  @ApiPropertyOptional({ enum: FONT_SCALES, description: `Absent: ${DEFAULT_PREFERENCES.fontScale}` })
  fontScale?: number;

  @ApiPropertyOptional({
    description: `Stronger contrast (AAA where possible). Absent: ${DEFAULT_PREFERENCES.highContrast}`,
  })
  highContrast?: boolean;

  @ApiPropertyOptional({
    enum: DENSITIES,
    description: `Spacing of lists and controls. Absent: ${DEFAULT_PREFERENCES.density}`,
  })
  density?: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    // null among the values too: a validator reads a nullable enum's list as the whole set.
    enum: [...MAX_READING_LEVELS],
    description: 'The feed shows posts up to this reading level (US grade) unless asked otherwise; null or absent: all',
  })
  maxReadingLevel?: number | null;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  username: string;

  @ApiProperty({ type: String, nullable: true })
  firstName: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastName: string | null;

  @ApiProperty({ type: String, nullable: true })
  bio: string | null;

  @ApiProperty({
    type: () => PreferencesDto,
    description: 'As stored: a key may be missing (its default applies) on accounts older than the key',
  })
  preferences: Record<string, unknown>;

  @ApiProperty()
  emailVerified: boolean;

  @ApiProperty({ description: 'Two-factor authentication is on' })
  twoFactorEnabled: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Path (on the API origin) of the 256×256 WebP avatar; it never changes, so it may be cached for good; null without one',
    example: '/api/v1/avatars/0f8e9c3b5a7d41e2b6c4d8a0f1e2d3c4',
  })
  avatarUrl: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class MeDto extends UserDto {
  @ApiProperty({ type: [String], description: 'Names of the roles held now (unexpired)' })
  roles: string[];

  @ApiProperty({ type: [String], description: 'Permissions held without conditions (`resource:action`)' })
  permissions: string[];
}

export class LoginResponseDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires' })
  expiresIn: number;

  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiPropertyOptional({ description: 'Only when `refreshTokenInBody` was asked for' })
  refreshToken?: string;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid', description: 'The session id (`sid` of its access tokens)' })
  id: string;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  lastUsedAt: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ description: 'The session of this request' })
  current: boolean;
}

export class MessageDto {
  @ApiProperty()
  message: string;
}

export class VerifyEmailResultDto extends MessageDto {
  @ApiProperty({
    description:
      'true when the address was confirmed before this request: the link was opened a second time, or another link worked first',
  })
  alreadyVerified: boolean;
}

export class TwoFactorSetupDto {
  @ApiProperty({ description: 'Base32 secret, for typing into an authenticator app' })
  secret: string;

  @ApiProperty({ description: '`otpauth://` URI, for a QR code' })
  otpauthUri: string;
}

export class TwoFactorCodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits your app shows' })
  code: string;
}

export class DisableTwoFactorDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({ description: 'A current code or a recovery code' })
  @IsString()
  @MinLength(6)
  @MaxLength(32)
  code: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Ten single-use codes; shown only now' })
  recoveryCodes: string[];
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'CI deploy', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @NotBlank()
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: PAT_SCOPES, isArray: true, description: 'What the token may do' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PAT_SCOPES.length)
  @IsIn(PAT_SCOPES, { each: true })
  scopes: PatScope[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the token stops working (none: until revoked)' })
  @Optional()
  @IsDateTime()
  expiresAt?: string;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'The first characters after `atr_pat_`, to tell tokens apart' })
  prefix: string;

  @ApiProperty({ enum: PAT_SCOPES, isArray: true })
  scopes: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: string | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The token itself (`atr_pat_…`); shown only now, send it as `Authorization: Bearer`' })
  token: string;
}

export class DeleteAccountDto {
  @ApiProperty({ format: 'password', description: 'Your password, to confirm' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

/** `POST /me/email`: the new address and, to confirm, the current password. */
export class ChangeEmailDto extends EmailDto {
  @ApiProperty({ format: 'password', description: 'Your current password, to confirm' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

/** `PUT /me/username`: the sign-up rule. */
export class ChangeUsernameDto {
  @ApiProperty({ example: 'ada', description: '3–64 of letters, digits, `_`, `.`, `-`; unique ignoring case' })
  @Transform(trim)
  @IsString()
  @Matches(/^[a-zA-Z0-9_.-]{3,64}$/, { message: 'username must be 3–64 letters, digits, "_", "." or "-"' })
  username: string;
}
