import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ApiErrorResponses } from '../../common/dto/envelope.dto';
import { HttpCache } from '../../common/http-cache';
import { Optional } from '../../common/http/optional';
import { trim } from '../../common/http/transforms';
import { FEED_ITEMS, FEEDS_TTL_SECONDS, FeedsService, SITEMAP_MAX_URLS } from './feeds.service';

export class FeedQueryDto {
  @ApiPropertyOptional({
    description: "A category's slug: its posts and those of the categories below it",
    maxLength: 80,
  })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiPropertyOptional({ description: "A tag's slug", maxLength: 80 })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  tag?: string;
}

const FEED_NOTE = `The ${FEED_ITEMS} newest public posts (members-only posts never), newest first; \`category\` (with the categories below it) or \`tag\` narrow it. Cached for ${FEEDS_TTL_SECONDS} s; \`ETag\` and \`If-None-Match\` answer 304.`;

@ApiTags('Feeds')
@Public()
@RawResponse()
@Controller()
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Get('feed.xml')
  @ApiOperation({ summary: 'RSS 2.0 feed of the newest posts', description: FEED_NOTE })
  @ApiResponse({
    status: 200,
    description: 'RSS 2.0',
    content: { 'application/rss+xml': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(400)
  @HttpCache({ maxAgeSeconds: FEEDS_TTL_SECONDS, visibility: 'public' })
  async rss(@Query() query: FeedQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type('application/rss+xml; charset=utf-8');
    return this.feeds.rss({ category: query.category, tag: query.tag });
  }

  @Get('feed.json')
  @ApiOperation({ summary: 'JSON Feed 1.1 of the newest posts', description: FEED_NOTE })
  @ApiResponse({
    status: 200,
    description: 'JSON Feed 1.1 (https://jsonfeed.org/version/1.1)',
    content: { 'application/feed+json': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(400)
  @HttpCache({ maxAgeSeconds: FEEDS_TTL_SECONDS, visibility: 'public' })
  async json(@Query() query: FeedQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type('application/feed+json; charset=utf-8');
    return this.feeds.json({ category: query.category, tag: query.tag });
  }

  @Get('sitemap.xml')
  @ApiOperation({
    summary: 'Sitemap of the public pages and posts',
    description: `The home page, the feed and the newest public posts (at most ${SITEMAP_MAX_URLS} URLs, as one sitemap file holds). Cached for ${FEEDS_TTL_SECONDS} s, with an \`ETag\`.`,
  })
  @ApiResponse({
    status: 200,
    description: 'sitemaps.org 0.9',
    content: { 'application/xml': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(400)
  @HttpCache({ maxAgeSeconds: FEEDS_TTL_SECONDS, visibility: 'public' })
  async sitemap(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type('application/xml; charset=utf-8');
    return this.feeds.sitemap();
  }
}
