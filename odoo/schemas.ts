/**
 * Zod schemas for what Odoo sends back. Odoo encodes "empty" as `false` and many2one values as `[id, name]` pairs
 * (or a bare id with `load=None`); these schemas turn both into plain TypeScript values (`null`, `{ id, name }`).
 */
import { z } from 'zod';

/** char/text/html/selection/date/datetime: a string, or `false` when empty → `string | null`. */
export const odooText = z.union([z.string(), z.literal(false), z.null()]).transform((v) => (v === false ? null : v));

export interface Many2one {
  id: number;
  name: string;
}

/** `[id, "display name"]`, a bare id, or `false` → `{ id, name } | null`. */
export const odooMany2one = z
  .union([z.tuple([z.number(), z.union([z.string(), z.literal(false)])]), z.number(), z.literal(false), z.null()])
  .transform((v): Many2one | null => {
    if (v === false || v === null) return null;
    if (typeof v === 'number') return { id: v, name: '' };
    return { id: v[0], name: v[1] === false ? '' : v[1] };
  });

export const odooIds = z.array(z.number().int());

/** create/message_post give an int over legacy RPC (17/18) and `[id]` over JSON-2 and 19 RPC: always a list here. */
export const odooIdOrIds = z.union([z.number().int(), odooIds]).transform((v) => (Array.isArray(v) ? v : [v]));

export const versionInfoSchema = z.object({
  server_version: z.string(),
  server_version_info: z.array(z.union([z.number(), z.string()])),
  server_serie: z.string().optional(),
  protocol_version: z.number().optional(),
});

export const webVersionSchema = z.object({
  version: z.string(),
  version_info: z.array(z.union([z.number(), z.string()])),
});

export const fieldsGetSchema = z.record(
  z.string(),
  z
    .object({
      type: z.string().optional(),
      string: z.string().optional(),
      relation: z.string().optional(),
      selection: z.union([z.array(z.tuple([z.string(), z.string()])), z.literal(false), z.string()]).optional(),
      required: z.boolean().optional(),
      readonly: z.boolean().optional(),
    })
    .passthrough(),
);
export type FieldsGet = z.infer<typeof fieldsGetSchema>;

export const recordSchema = z.object({ id: z.number().int() }).passthrough();
export type OdooRecord = z.infer<typeof recordSchema>;
