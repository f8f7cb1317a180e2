import { MigrationInterface, QueryRunner } from 'typeorm';

export class SignInFailures1795974181744 implements MigrationInterface {
  name = 'SignInFailures1795974181744';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sign_in_failures" ("key" text NOT NULL, "failures" integer NOT NULL DEFAULT '0', "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_9640f740c74e346a74259162542" PRIMARY KEY ("key"))`,
    );
    // Locks in force move over as account-wide locks (decision 52); counts start again.
    await queryRunner.query(
      `INSERT INTO "sign_in_failures" ("key", "failures", "locked_until") SELECT 'user:' || "id", 0, "locked_until" FROM "users" WHERE "locked_until" > now()`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_logins"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_logins_since"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locked_until"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_logins_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_logins" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`DROP TABLE "sign_in_failures"`);
  }
}
