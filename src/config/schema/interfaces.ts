import { z } from 'zod';

const jsonSchema = z.record(z.string(), z.unknown()).meta({ description: 'A JSON Schema object.' });

/**
 * The `interfaces:` section of rubric.yaml: what the agent needs from a model
 * beyond plain text. `qualify preflight` probes each on the candidate and on the
 * current primary before a qualification PR is opened.
 *
 * @example
 * InterfacesSchema.parse({ streaming: true, structured_output: { name: 'verdict', schema: { type: 'object' } } })
 */
export const InterfacesSchema = z
  .strictObject({
    tools: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
          description: z.string().optional(),
          parameters: jsonSchema,
        }),
      )
      .optional()
      .meta({
        description:
          'Tools the agent offers the model; preflight forces a call of each and validates the arguments.',
      }),
    structured_output: z
      .strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), schema: jsonSchema })
      .optional()
      .meta({
        description:
          'A structured output the agent asks for; preflight validates a reply against the schema.',
      }),
    streaming: z.boolean().default(false).meta({
      description: 'Whether the agent streams replies; preflight checks the stream assembles and finishes.',
    }),
  })
  .meta({ description: '`qualify preflight`: the model interfaces the agent uses.' });
export type Interfaces = z.output<typeof InterfacesSchema>;

/** The keys this section adds to rubric.yaml (spread into RUBRIC_SHAPE). */
export const INTERFACE_KEYS = { interfaces: InterfacesSchema.optional() };
