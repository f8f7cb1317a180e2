import { MigrationInterface, QueryRunner } from 'typeorm';

export class LastSignedIn1795976067278 implements MigrationInterface {
  name = 'LastSignedIn1795976067278';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "last_signed_in_at" TIMESTAMP WITH TIME ZONE`);
    // Accounts that signed in before this column existed are not new: the audit log remembers.
    await queryRunner.query(
      `UPDATE "users" u SET "last_signed_in_at" = a."at"
         FROM (SELECT "actor_id", max("created_at") AS "at" FROM "audit_events" WHERE "action" = 'auth.login' GROUP BY "actor_id") a
        WHERE a."actor_id" = u."id"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "last_signed_in_at"`);
  }
}
