import { MigrationInterface, QueryRunner } from 'typeorm';

export class Posts1795987203665 implements MigrationInterface {
  name = 'Posts1795987203665';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "posts" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "author_id" uuid NOT NULL, "title" text NOT NULL, "slug" text NOT NULL, "body_markdown" text NOT NULL, "body_html" text NOT NULL, "excerpt" text NOT NULL, "excerpt_given" boolean NOT NULL DEFAULT false, "status" text NOT NULL DEFAULT 'draft', "visibility" text NOT NULL DEFAULT 'public', "featured" boolean NOT NULL DEFAULT false, "published_at" TIMESTAMP WITH TIME ZONE, "scheduled_at" TIMESTAMP WITH TIME ZONE, "reading_time_minutes" integer NOT NULL, "reading_level" real, "view_count" integer NOT NULL DEFAULT '0', "comment_count" integer NOT NULL DEFAULT '0', "version" integer NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_posts_visibility" CHECK ("visibility" IN ('public', 'members')), CONSTRAINT "CHK_posts_status" CHECK ("status" IN ('draft', 'scheduled', 'published', 'archived')), CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "posts_slug_key" ON "posts"  ("slug") `);
    await queryRunner.query(`CREATE INDEX "posts_author_updated_idx" ON "posts"  ("author_id", "updated_at") `);
    await queryRunner.query(
      `CREATE INDEX "posts_feed_idx" ON "posts"  ("published_at", "id") WHERE status = 'published' AND deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "post_slugs" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "slug" text NOT NULL, "post_id" uuid NOT NULL, CONSTRAINT "PK_9dc0bafae096793a6d23efe3145" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "post_slugs_slug_key" ON "post_slugs"  ("slug") `);
    await queryRunner.query(`CREATE INDEX "post_slugs_post_id_idx" ON "post_slugs"  ("post_id") `);
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "FK_312c63be865c81b922e39c2475e" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_slugs" ADD CONSTRAINT "FK_102ada11331c8afb51721d86509" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_slugs" DROP CONSTRAINT "FK_102ada11331c8afb51721d86509"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "FK_312c63be865c81b922e39c2475e"`);
    await queryRunner.query(`DROP INDEX "public"."post_slugs_post_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."post_slugs_slug_key"`);
    await queryRunner.query(`DROP TABLE "post_slugs"`);
    await queryRunner.query(`DROP INDEX "public"."posts_feed_idx"`);
    await queryRunner.query(`DROP INDEX "public"."posts_author_updated_idx"`);
    await queryRunner.query(`DROP INDEX "public"."posts_slug_key"`);
    await queryRunner.query(`DROP TABLE "posts"`);
  }
}
