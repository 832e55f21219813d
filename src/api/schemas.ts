import { Type, type TSchema } from '@sinclair/typebox';

/** The body of every error answer, 4xx and 5xx alike. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. VALIDATION_FAILED.' }),
      message: Type.String({ description: 'What went wrong, for people.' }),
      field: Type.Optional(Type.String({ description: 'The offending input, e.g. lines.0.quantity.' })),
      location: Type.Optional(
        Type.Union([
          Type.Literal('body'),
          Type.Literal('querystring'),
          Type.Literal('params'),
          Type.Literal('headers'),
        ]),
      ),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

/** Adds the error answers to a route's response schemas. */
export function withErrors<T extends Record<number, TSchema>>(responses: T) {
  return { ...responses, '4xx': Type.Ref(ErrorBody), '5xx': Type.Ref(ErrorBody) };
}
