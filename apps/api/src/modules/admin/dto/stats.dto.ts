import { ApiProperty } from '@nestjs/swagger';

export class RoleUsersDto {
  @ApiProperty({ example: 'editor' })
  role: string;

  @ApiProperty({ example: 50 })
  level: number;

  @ApiProperty({ description: 'Accounts (not deleted) holding the role now: expired assignments do not count' })
  users: number;
}

export class UserStatsDto {
  @ApiProperty({ description: 'Accounts that are not deleted (active or not, verified or not)' })
  total: number;

  @ApiProperty({ type: [RoleUsersDto], description: 'Every role, the highest level first; a user may hold several' })
  byRole: RoleUsersDto[];
}

export class SessionStatsDto {
  @ApiProperty({ description: 'Signed-in sessions that are neither revoked nor expired' })
  active: number;
}

export class DailyStatsDto {
  @ApiProperty({ format: 'date', example: '2026-05-01', description: 'A UTC day' })
  date: string;

  @ApiProperty({ description: 'Accounts created that day (including ones deleted since)' })
  newUsers: number;

  @ApiProperty({ description: 'Successful sign-ins' })
  logins: number;

  @ApiProperty({ description: 'Failed sign-ins: wrong password or code, unknown account, inactive account' })
  failedLogins: number;

  @ApiProperty({ description: 'Posts first published that day (deleted ones excluded)' })
  postsPublished: number;
}

export class PostStatusCountsDto {
  @ApiProperty() draft: number;
  @ApiProperty() scheduled: number;
  @ApiProperty() published: number;
  @ApiProperty() archived: number;
}

export class TopPostDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() slug: string;
  @ApiProperty() viewCount: number;
  @ApiProperty() commentCount: number;
}

export class ContentStatsDto {
  @ApiProperty({ type: PostStatusCountsDto, description: 'Posts by status (not deleted)' })
  postsByStatus: PostStatusCountsDto;

  @ApiProperty({ description: 'Comments waiting for a moderator' })
  commentsPending: number;

  @ApiProperty({ type: [TopPostDto], description: 'The 10 most read published posts' })
  topPosts: TopPostDto[];
}

export class StatsDto {
  @ApiProperty({
    format: 'date-time',
    description: 'When these figures were computed; they are cached for up to 30 seconds',
  })
  generatedAt: string;

  @ApiProperty({ type: UserStatsDto })
  users: UserStatsDto;

  @ApiProperty({ type: SessionStatsDto })
  sessions: SessionStatsDto;

  @ApiProperty({ type: ContentStatsDto })
  content: ContentStatsDto;

  @ApiProperty({
    type: [DailyStatsDto],
    description: 'The last 30 UTC days, oldest first, today last; days without activity are zeros',
  })
  days: DailyStatsDto[];
}
