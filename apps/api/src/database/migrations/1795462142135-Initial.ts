import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795462142135 implements MigrationInterface {
  name = 'Initial1795462142135';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "system_instance" ("id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "singleton" boolean NOT NULL DEFAULT true, "boot_count" integer NOT NULL DEFAULT '0', "last_booted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_system_instance_singleton" CHECK ("singleton"), CONSTRAINT "PK_7533fec7ec4eb6cd1b6fc9267db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_system_instance_singleton" ON "system_instance"  ("singleton") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_system_instance_singleton"`);
    await queryRunner.query(`DROP TABLE "system_instance"`);
  }
}
