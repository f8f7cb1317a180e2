import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostRevisions1795990125641 implements MigrationInterface {
  name = 'PostRevisions1795990125641';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "post_revisions" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "post_id" uuid NOT NULL, "title" text NOT NULL, "body_markdown" text NOT NULL, "editor_id" uuid, "editor_username" text, CONSTRAINT "PK_871219c3d5044d70ff7d59480b8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "post_revisions_post_created_idx" ON "post_revisions"  ("post_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "post_revisions" ADD CONSTRAINT "FK_21715fae1f647ae1e4b0741346a" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_revisions" DROP CONSTRAINT "FK_21715fae1f647ae1e4b0741346a"`);
    await queryRunner.query(`DROP INDEX "public"."post_revisions_post_created_idx"`);
    await queryRunner.query(`DROP TABLE "post_revisions"`);
  }
}
