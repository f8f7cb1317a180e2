import { ApiProperty } from '@nestjs/swagger';
import { RuntimeMode } from '@atrium/contracts';

export class InfoInstanceDto {
  @ApiProperty({ format: 'uuid', description: 'Id of this installation; stable across restarts and upgrades' })
  id: string;

  @ApiProperty({ format: 'date-time', description: 'When the database of this installation was first started' })
  installedAt: string;

  @ApiProperty({ description: 'How many times an API process has started on this database' })
  bootCount: number;
}

export class InfoDto {
  @ApiProperty({ example: 'Atrium' })
  name: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ enum: Object.values(RuntimeMode), enumName: 'RuntimeMode' })
  mode: RuntimeMode;

  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: 100,
    example: 'The Reading Room',
    description: 'The name the first admin gave this site at setup (`POST /setup`); null when none was given',
  })
  siteName: string | null;

  @ApiProperty({ type: InfoInstanceDto })
  instance: InfoInstanceDto;
}
