import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobOutbox1795967560138 implements MigrationInterface {
  name = 'JobOutbox1795967560138';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "kind" text NOT NULL DEFAULT 'event'`);
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "job_id" text`);
    await queryRunner.query(`ALTER TABLE "outbox_events" ADD "dispatched_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "outbox_events_job_id_idx" ON "outbox_events"  ("job_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbox_events_job_id_idx"`);
    await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "dispatched_at"`);
    await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "job_id"`);
    await queryRunner.query(`ALTER TABLE "outbox_events" DROP COLUMN "kind"`);
  }
}
