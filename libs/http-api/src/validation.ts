import { z } from 'zod';
import { InvalidInputError } from '@coldchain/errors';

/**
 * Parses a request body, query or path parameter with a zod schema: the value,
 * or InvalidInputError (HTTP 400) listing every problem as `field: message`.
 * `where` names the input when a problem has no path (a missing body).
 */
export function parse<T extends z.ZodType>(schema: T, input: unknown, where = 'body'): z.infer<T> {
  const out = schema.safeParse(input);
  if (out.success) return out.data;
  const problems = out.error.issues.map((i) => `${i.path.join('.') || where}: ${i.message}`);
  throw new InvalidInputError(`invalid request: ${problems.join('; ')}`, problems);
}

/** The JSON Schema (OpenAPI 3.0 dialect) of a zod schema, for @nestjs/swagger's `schema` options. */
export const openApiSchema = (schema: z.ZodType): Record<string, unknown> =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any' });
