import { MigrationInterface, QueryRunner } from 'typeorm';

export class Comments1796002586638 implements MigrationInterface {
  name = 'Comments1796002586638';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "post_id" uuid NOT NULL, "author_id" uuid NOT NULL, "parent_id" uuid, "root_id" uuid NOT NULL, "depth" smallint NOT NULL, "body_markdown" text NOT NULL, "body_html" text NOT NULL, "status" text NOT NULL, "edited_at" TIMESTAMP WITH TIME ZONE, "moderated_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_comments_depth" CHECK ("depth" BETWEEN 0 AND 4), CONSTRAINT "CHK_comments_status" CHECK ("status" IN ('pending', 'approved', 'rejected')), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "comments_author_idx" ON "comments"  ("author_id") `);
    await queryRunner.query(`CREATE INDEX "comments_root_idx" ON "comments"  ("root_id") `);
    await queryRunner.query(
      `CREATE INDEX "comments_status_idx" ON "comments"  ("status", "id") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_threads_idx" ON "comments"  ("post_id", "id") WHERE parent_id IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "posts" ADD "comments_open" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_259bf9825d9d198608d1b46b0b5" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_e6d38899c31997c45d128a8973b" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_d6f93329801a93536da4241e386" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_d6f93329801a93536da4241e386"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_e6d38899c31997c45d128a8973b"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_259bf9825d9d198608d1b46b0b5"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "comments_open"`);
    await queryRunner.query(`DROP INDEX "public"."comments_threads_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_root_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comments_author_idx"`);
    await queryRunner.query(`DROP TABLE "comments"`);
  }
}
