import { MigrationInterface, QueryRunner } from 'typeorm';

export class Taxonomy1796001388396 implements MigrationInterface {
  name = 'Taxonomy1796001388396';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "categories" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "slug" text NOT NULL, "description" text NOT NULL DEFAULT '', "parent_id" uuid, "sort_order" integer NOT NULL DEFAULT '0', CONSTRAINT "CHK_categories_not_own_parent" CHECK ("parent_id" IS DISTINCT FROM "id"), CONSTRAINT "PK_24dbc6126a28ff948da33e97d3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "categories_slug_key" ON "categories"  ("slug") `);
    await queryRunner.query(`CREATE INDEX "categories_parent_id_idx" ON "categories"  ("parent_id") `);
    await queryRunner.query(
      `CREATE TABLE "tags" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "slug" text NOT NULL, "color" text, "usage_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_e7dc17249a1148a1970748eda99" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "tags_slug_key" ON "tags"  ("slug") `);
    await queryRunner.query(`CREATE INDEX "tags_popular_idx" ON "tags"  ("usage_count", "name") `);
    await queryRunner.query(
      `CREATE TABLE "post_tags" ("post_id" uuid NOT NULL, "tag_id" uuid NOT NULL, CONSTRAINT "PK_deee54a40024b7afc16d25684f8" PRIMARY KEY ("post_id", "tag_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "post_tags_tag_id_idx" ON "post_tags"  ("tag_id", "post_id") `);
    await queryRunner.query(`ALTER TABLE "posts" ADD "category_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "posts_category_feed_idx" ON "posts"  ("category_id", "published_at", "id") WHERE status = 'published' AND deleted_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "categories" ADD CONSTRAINT "FK_88cea2dc9c31951d06437879b40" FOREIGN KEY ("parent_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "FK_852f266adc5d67c40405c887b49" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_tags" ADD CONSTRAINT "FK_5df4e8dc2cb3e668b962362265d" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_tags" ADD CONSTRAINT "FK_192ab488d1c284ac9abe2e30356" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_tags" DROP CONSTRAINT "FK_192ab488d1c284ac9abe2e30356"`);
    await queryRunner.query(`ALTER TABLE "post_tags" DROP CONSTRAINT "FK_5df4e8dc2cb3e668b962362265d"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "FK_852f266adc5d67c40405c887b49"`);
    await queryRunner.query(`ALTER TABLE "categories" DROP CONSTRAINT "FK_88cea2dc9c31951d06437879b40"`);
    await queryRunner.query(`DROP INDEX "public"."posts_category_feed_idx"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "category_id"`);
    await queryRunner.query(`DROP INDEX "public"."post_tags_tag_id_idx"`);
    await queryRunner.query(`DROP TABLE "post_tags"`);
    await queryRunner.query(`DROP INDEX "public"."tags_popular_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tags_slug_key"`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`DROP INDEX "public"."categories_parent_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."categories_slug_key"`);
    await queryRunner.query(`DROP TABLE "categories"`);
  }
}
