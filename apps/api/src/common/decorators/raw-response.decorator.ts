import { SetMetadata } from '@nestjs/common';

export const RAW_RESPONSE = 'atrium:raw-response';

/** The route's body is sent as returned, outside the success envelope (probes, Prometheus text). */
export const RawResponse = (): MethodDecorator & ClassDecorator => SetMetadata(RAW_RESPONSE, true);
