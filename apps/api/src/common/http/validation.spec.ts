/* eslint-disable no-restricted-imports -- Nest's own Body/Query are what the check must catch. */
import { Body as NestBody, Get, Headers, Param, ParseUUIDPipe, Post, Query as NestQuery, Req } from '@nestjs/common';
import { IsString } from 'class-validator';
import { ErrorCode } from '@atrium/contracts';
import { CurrentUser } from '../auth';
import type { ApiException } from './api.exception';
import { assertInputsValidated, Body, Query, unvalidatedInputs } from './validation';

class NoteDto {
  @IsString()
  text: string;
}

/* eslint-disable @typescript-eslint/no-unused-vars -- the parameters are the fixture */
class Fixtures {
  @Post()
  validated(@Body() body: NoteDto, @Query() query: NoteDto, @Query('q') q: string): void {}

  @Get(':id/:other')
  notInput(
    @Param('id') id: string,
    @Param('other', new ParseUUIDPipe()) other: string,
    @Req() request: unknown,
    @Headers('x-thing') thing: string,
    @CurrentUser() user: unknown,
  ): void {}

  @Post()
  nestBody(@NestBody() body: NoteDto): void {}

  @Get()
  nestQuery(@NestQuery('q') q: string): void {}

  @Get(':n')
  numberParam(@Param('n') n: number): void {}

  @Get(':a/:b')
  wholeParams(@Param() params: NoteDto): void {}
}
/* eslint-enable @typescript-eslint/no-unused-vars */

const routes = (...methods: string[]) => methods.map((method) => ({ controller: Fixtures, method }));

describe('input validated where it arrives (docs/DECISIONS.md 129)', () => {
  it('finds no unvalidated input in bodies and queries taken through Body/Query, path segments, the caller or headers', () => {
    expect(unvalidatedInputs(routes('validated', 'notInput'))).toEqual([]);
  });

  it("names each input no validation pipe checks: Nest's own @Body()/@Query(), a number or a whole object from the path", () => {
    expect(unvalidatedInputs(routes('nestBody', 'nestQuery', 'numberParam', 'wholeParams'))).toEqual([
      'Fixtures.nestBody: parameter 0 (@Body())',
      'Fixtures.nestQuery: parameter 0 (@Query())',
      'Fixtures.numberParam: parameter 0 (@Param())',
      'Fixtures.wholeParams: parameter 0 (@Param())',
    ]);
  });

  it('stops the start on one, and says what to use instead', () => {
    expect(() => assertInputsValidated(routes('validated', 'nestBody'))).toThrow(
      /^Input that no validation pipe checks: Fixtures\.nestBody: parameter 0 \(@Body\(\)\)\. Take bodies and queries with `Body`\/`Query` from common\/http\/validation/,
    );
    expect(() => assertInputsValidated(routes('validated', 'notInput'))).not.toThrow();
  });

  it('the validated decorators bind one pipe that still turns input into its DTO and refuses bad input', async () => {
    const args = Reflect.getMetadata('__routeArguments__', Fixtures, 'validated') as Record<
      string,
      { pipes: Array<{ transform(value: unknown, metadata: object): Promise<unknown> }> }
    >;
    const [pipe] = args['3:0'].pipes;
    expect(args['4:1'].pipes).toEqual([pipe]);
    const note = await pipe.transform({ text: 'hi' }, { type: 'body', metatype: NoteDto });
    expect(note).toBeInstanceOf(NoteDto);
    const refused = await pipe.transform({ text: 1, extra: true }, { type: 'body', metatype: NoteDto }).then(
      () => undefined,
      (error: ApiException) => ({
        status: error.getStatus(),
        code: error.code,
        details: error.details?.map(({ field, code }) => `${field}: ${code}`).sort(),
      }),
    );
    expect(refused).toEqual({
      status: 400,
      code: ErrorCode.VALIDATION_ERROR,
      details: ['extra: UNKNOWN_FIELD', 'text: IS_STRING'],
    });
  });
});
