import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How many UTC days the daily figures cover, today included. */
export const STATS_DAYS = 30;

export interface DailyRow {
  date: string;
  newUsers: number;
  logins: number;
  failedLogins: number;
  postsPublished: number;
}

export interface StatusRow {
  status: 'draft' | 'scheduled' | 'published' | 'archived';
  posts: number;
}

export interface TopPostRow {
  id: string;
  title: string;
  slug: string;
  viewCount: number;
  commentCount: number;
}

export interface RoleRow {
  role: string;
  level: number;
  users: number;
}

/**
 * Aggregates for the admin dashboard, computed by Postgres (counts, never rows). Days are UTC
 * calendar days; `generate_series` supplies the days without activity, so every day is present.
 */
@Injectable()
export class StatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async usersTotal(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS "total" FROM "users" WHERE "deleted_at" IS NULL`,
    );
    return row.total;
  }

  async activeSessions(): Promise<number> {
    // One row per refresh token: rotation revokes the old row, so unrevoked rows are live sign-ins.
    const [row] = await this.dataSource.query<Array<{ active: number }>>(
      `SELECT count(*)::int AS "active" FROM "sessions" WHERE "revoked_at" IS NULL AND "expires_at" > now()`,
    );
    return row.active;
  }

  usersByRole(): Promise<RoleRow[]> {
    return this.dataSource.query<RoleRow[]>(
      `SELECT r."name" AS "role", r."level", count(u."id")::int AS "users"
         FROM "roles" r
         LEFT JOIN "user_roles" ur
           ON ur."role_id" = r."id" AND (ur."expires_at" IS NULL OR ur."expires_at" > now())
         LEFT JOIN "users" u
           ON u."id" = ur."user_id" AND u."deleted_at" IS NULL
        GROUP BY r."id", r."name", r."level"
        ORDER BY r."level" DESC, r."name"`,
    );
  }

  postsByStatus(): Promise<StatusRow[]> {
    return this.dataSource.query<StatusRow[]>(
      `SELECT "status", count(*)::int AS "posts" FROM "posts" WHERE "deleted_at" IS NULL GROUP BY "status"`,
    );
  }

  async commentsPending(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ pending: number }>>(
      `SELECT count(*)::int AS "pending" FROM "comments" WHERE "status" = 'pending' AND "deleted_at" IS NULL`,
    );
    return row.pending;
  }

  topPosts(limit = 10): Promise<TopPostRow[]> {
    return this.dataSource.query<TopPostRow[]>(
      `SELECT "id", "title", "slug", "view_count" AS "viewCount", "comment_count" AS "commentCount"
         FROM "posts"
        WHERE "status" = 'published' AND "deleted_at" IS NULL
        ORDER BY "view_count" DESC, "published_at" DESC, "id" DESC
        LIMIT $1`,
      [limit],
    );
  }

  /** Sign-ups, sign-ins and failed sign-ins per UTC day, oldest first; range predicates keep the indexes usable. */
  daily(days = STATS_DAYS): Promise<DailyRow[]> {
    return this.dataSource.query<DailyRow[]>(
      `WITH "days" AS (
         SELECT "day"::date AS "day"
           FROM generate_series(
             (now() AT TIME ZONE 'UTC')::date - ($1::int - 1),
             (now() AT TIME ZONE 'UTC')::date,
             interval '1 day'
           ) AS "day"
       ),
       "since" AS (
         SELECT (min("day")::timestamp AT TIME ZONE 'UTC') AS "at" FROM "days"
       ),
       "signups" AS (
         SELECT ("created_at" AT TIME ZONE 'UTC')::date AS "day", count(*) AS "n"
           FROM "users"
          WHERE "created_at" >= (SELECT "at" FROM "since")
          GROUP BY 1
       ),
       "signins" AS (
         SELECT ("created_at" AT TIME ZONE 'UTC')::date AS "day",
                count(*) FILTER (WHERE "action" = 'auth.login') AS "ok",
                count(*) FILTER (WHERE "action" = 'auth.login_failed') AS "failed"
           FROM "audit_events"
          WHERE "action" IN ('auth.login', 'auth.login_failed') AND "created_at" >= (SELECT "at" FROM "since")
          GROUP BY 1
       ),
       "published" AS (
         SELECT ("published_at" AT TIME ZONE 'UTC')::date AS "day", count(*) AS "n"
           FROM "posts"
          WHERE "published_at" >= (SELECT "at" FROM "since") AND "deleted_at" IS NULL
          GROUP BY 1
       )
       SELECT to_char("days"."day", 'YYYY-MM-DD') AS "date",
              coalesce("signups"."n", 0)::int AS "newUsers",
              coalesce("signins"."ok", 0)::int AS "logins",
              coalesce("signins"."failed", 0)::int AS "failedLogins",
              coalesce("published"."n", 0)::int AS "postsPublished"
         FROM "days"
         LEFT JOIN "signups" USING ("day")
         LEFT JOIN "signins" USING ("day")
         LEFT JOIN "published" USING ("day")
        ORDER BY "days"."day"`,
      [days],
    );
  }
}
