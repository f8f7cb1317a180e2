import { MigrationInterface, QueryRunner } from 'typeorm';

export class SignInLockout1795966753936 implements MigrationInterface {
  name = 'SignInLockout1795966753936';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_logins" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_logins_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locked_until"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_logins_since"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_logins"`);
  }
}
