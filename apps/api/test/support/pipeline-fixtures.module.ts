import { Controller, Get, Module, Post } from '@nestjs/common';
// eslint-disable-next-line no-restricted-imports -- the unchecked fixture below takes Nest's own @Body()
import { Body as NestBody } from '@nestjs/common';
import { Body, Query } from '../../src/common/http/validation';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Public } from '../../src/common/auth';

class AddressDto {
  @IsString()
  @MaxLength(20)
  city: string;
}

class SignupFixtureDto {
  @IsEmail()
  email: string;

  @IsInt()
  @Min(13)
  age: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

class DelayQuery {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  ms: number;
}

/**
 * Routes that exist only in e2e tests, to drive the global pipeline (validation, errors,
 * shutdown) the way real modules will; the production app never mounts this module.
 */
@Public()
@Controller('test-fixtures')
class PipelineFixturesController {
  @Post('echo')
  echo(@Body() body: SignupFixtureDto): SignupFixtureDto {
    return body;
  }

  @Get('boom')
  boom(): never {
    throw new Error('connect ECONNREFUSED 10.0.0.5:5432 SELECT password_hash FROM users');
  }

  @Get('slow')
  async slow(@Query() query: DelayQuery): Promise<{ waitedMs: number }> {
    await new Promise((resolve) => setTimeout(resolve, query.ms));
    return { waitedMs: query.ms };
  }
}

@Module({ controllers: [PipelineFixturesController] })
export class PipelineFixturesModule {}

/** A route that takes a body no validation pipe checks: the app must refuse to start with it. */
@Public()
@Controller('test-fixtures/unchecked')
class UncheckedInputController {
  @Post()
  echo(@NestBody() body: SignupFixtureDto): SignupFixtureDto {
    return body;
  }
}

@Module({ controllers: [UncheckedInputController] })
export class UncheckedInputFixturesModule {}
