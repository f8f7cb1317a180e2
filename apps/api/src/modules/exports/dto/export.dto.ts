import { ApiProperty } from '@nestjs/swagger';
import { EXPORT_STATUSES, type ExportStatus } from '../export.entity';

export class DataExportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: EXPORT_STATUSES, description: '`queued` → `running` → `done` (or `failed`)' })
  status: ExportStatus;
  @ApiProperty({ minimum: 0, maximum: 100, description: 'Per cent built' }) progress: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Size of the zip once built' }) bytes: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The download works until then' })
  expiresAt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A signed link to the zip (no token needed), while it is `done` and not expired',
    example: '/api/v1/exports/0190a000-0000-7000-8000-000000000001/download?token=…',
  })
  downloadUrl: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' }) error: string | null;
}
