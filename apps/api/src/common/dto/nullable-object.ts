import { ApiProperty } from '@nestjs/swagger';

/** Plain fields of the object (strings, numbers, booleans), by name. */
type Properties = Record<string, { type: 'string' | 'number' | 'boolean'; format?: string; nullable?: boolean }>;

/**
 * A property holding an object or `null`, its schema written inline with every property required:
 * OpenAPI 3.0 cannot make a referenced object nullable (`allOf` around a `$ref` refuses null).
 */
export const ApiNullableObject = (description: string, properties: Properties): PropertyDecorator =>
  ApiProperty({ type: 'object', nullable: true, description, properties, required: Object.keys(properties) });
