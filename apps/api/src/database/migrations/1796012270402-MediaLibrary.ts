import { MigrationInterface, QueryRunner } from 'typeorm';

export class MediaLibrary1796012270402 implements MigrationInterface {
  name = 'MediaLibrary1796012270402';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "media" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "owner_id" uuid NOT NULL, "alt_text" text, "caption" text, "width" integer NOT NULL, "height" integer NOT NULL, "source_format" text NOT NULL, "variants" jsonb NOT NULL, CONSTRAINT "PK_f4e0fcac36e050de337b670d8bd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "media_created_idx" ON "media"  ("created_at") `);
    await queryRunner.query(`CREATE INDEX "media_owner_created_idx" ON "media"  ("owner_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "post_media" ("post_id" uuid NOT NULL, "media_id" uuid NOT NULL, CONSTRAINT "PK_af600072024e5f6705f0e2e4393" PRIMARY KEY ("post_id", "media_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "post_media_media_idx" ON "post_media"  ("media_id") `);
    await queryRunner.query(`ALTER TABLE "posts" ADD "cover_media_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "media" ADD CONSTRAINT "FK_c6889397830b5ed0f2a30362065" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_media" ADD CONSTRAINT "FK_1eeb54a4fdfbe9db17899243cbe" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_media" ADD CONSTRAINT "FK_a759d9accb8e41ae25c357e5ed3" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "FK_6a09bbe5393c8a0570de5487f66" FOREIGN KEY ("cover_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "FK_6a09bbe5393c8a0570de5487f66"`);
    await queryRunner.query(`ALTER TABLE "post_media" DROP CONSTRAINT "FK_a759d9accb8e41ae25c357e5ed3"`);
    await queryRunner.query(`ALTER TABLE "post_media" DROP CONSTRAINT "FK_1eeb54a4fdfbe9db17899243cbe"`);
    await queryRunner.query(`ALTER TABLE "media" DROP CONSTRAINT "FK_c6889397830b5ed0f2a30362065"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "cover_media_id"`);
    await queryRunner.query(`DROP INDEX "public"."post_media_media_idx"`);
    await queryRunner.query(`DROP TABLE "post_media"`);
    await queryRunner.query(`DROP INDEX "public"."media_owner_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."media_created_idx"`);
    await queryRunner.query(`DROP TABLE "media"`);
  }
}
