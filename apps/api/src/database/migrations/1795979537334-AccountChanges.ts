import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountChanges1795979537334 implements MigrationInterface {
  name = 'AccountChanges1795979537334';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "username_reservations" ("username_normalized" text NOT NULL, "user_id" uuid NOT NULL, "until" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f17555fd2c08537202092657274" PRIMARY KEY ("username_normalized"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "username_reservations_user_id_idx" ON "username_reservations"  ("user_id") `,
    );
    await queryRunner.query(`ALTER TABLE "email_tokens" ADD "new_email" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_tokens" DROP COLUMN "new_email"`);
    await queryRunner.query(`DROP INDEX "public"."username_reservations_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "username_reservations"`);
  }
}
