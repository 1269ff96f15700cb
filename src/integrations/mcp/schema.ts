import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { z } from "zod";

/**
 * An MCP tool's JSON Schema input as a zod schema (what our tools declare): zod 4's
 * `z.fromJSONSchema` when it can express the schema; otherwise an object validated by the SDK's own
 * JSON Schema validator (Ajv) that still shows the model the original schema.
 */
export function inputSchemaOf(jsonSchema: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  const { $schema: _dialect, ...schema } = jsonSchema;
  const described = { type: "object", ...schema };
  try {
    const converted = z.fromJSONSchema(described as Parameters<typeof z.fromJSONSchema>[0]);
    // The model is shown z.toJSONSchema of it: make sure that works before relying on it.
    z.toJSONSchema(converted, { target: "draft-7", io: "input" });
    return converted as z.ZodType<Record<string, unknown>>;
  } catch {
    return passthrough(described);
  }
}

function passthrough(schema: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  let validate: ((value: unknown) => { valid: boolean; errorMessage?: string }) | undefined;
  try {
    validate = new AjvJsonSchemaValidator().getValidator(schema as never);
  } catch {
    validate = undefined; // A schema Ajv cannot compile: the server validates.
  }
  return z
    .record(z.string(), z.unknown())
    .superRefine((value, context) => {
      const result = validate?.(value);
      if (result && !result.valid)
        context.addIssue({ code: "custom", message: result.errorMessage ?? "invalid" });
    })
    .meta(schema);
}
