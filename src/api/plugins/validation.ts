import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyServerOptions } from 'fastify';

type ValidatorFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;

/**
 * Two validators: request bodies are checked strictly (no type coercion, no silently dropped
 * fields: an amount sent as "12" or an unknown field is a 400), while querystrings, params and
 * headers, which are always strings on the wire, are coerced to the declared types.
 *
 * Given to Fastify as a compilers factory (not setValidatorCompiler) because Fastify builds a
 * new validator for every plugin that adds shared schemas, and must build this one each time.
 */
export const buildValidator: ValidatorFactory = (externalSchemas) => {
  const common = { allErrors: false, useDefaults: true, removeAdditional: false as const, strict: false };
  const body = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const other = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  for (const ajv of [body, other]) {
    for (const schema of Object.values(externalSchemas ?? {})) {
      const id = (schema as { $id?: string }).$id;
      if (id && !ajv.getSchema(id)) ajv.addSchema(schema as object);
    }
  }
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : other).compile(schema as object);
};
