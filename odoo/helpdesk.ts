/**
 * Typed Helpdesk helpers over the client, for ticket summaries and filing incidents. Works with Enterprise `helpdesk`
 * (ticket_ref, SLA deadline, helpdesk.stage) and OCA `helpdesk_mgmt` (number, helpdesk.ticket.stage, description
 * required), chosen by the cached flavour detection.
 */
import { z } from 'zod';
import type { Domain, OdooClient } from './client.js';
import { OdooNotFoundError } from './errors.js';
import { detectFlavour } from './flavour.js';
import { odooMany2one, odooText, type Many2one } from './schemas.js';

export interface Ticket {
  id: number;
  /** `#12` (Enterprise ticket_ref) or the OCA number. */
  reference: string;
  name: string;
  descriptionHtml: string | null;
  stage: Many2one | null;
  team: Many2one | null;
  assignee: Many2one | null;
  customer: Many2one | null;
  customerEmail: string | null;
  /** '0' low … '3' urgent. */
  priority: string;
  tagIds: number[];
  createdAt: string | null;
  closedAt: string | null;
  slaDeadline: string | null;
  url: string;
}

export interface TrackingChange {
  field: string;
  from: string;
  to: string;
}

export interface ThreadMessage {
  id: number;
  date: string | null;
  author: Many2one | null;
  bodyHtml: string;
  /** email (incoming), comment, notification (tracking), … */
  messageType: string;
  /** True for internal notes and tracking (not visible to the customer). */
  internal: boolean;
  changes: TrackingChange[];
}

const ticketRow = z
  .object({
    id: z.number().int(),
    name: odooText,
    description: odooText.optional(),
    stage_id: odooMany2one,
    team_id: odooMany2one,
    user_id: odooMany2one,
    partner_id: odooMany2one,
    partner_email: odooText.optional(),
    priority: odooText,
    tag_ids: z.array(z.number().int()).default([]),
    create_date: odooText,
    ticket_ref: odooText.optional(),
    number: odooText.optional(),
    close_date: odooText.optional(),
    closed_date: odooText.optional(),
    sla_deadline: odooText.optional(),
  })
  .passthrough();

async function ticketFields(client: OdooClient): Promise<string[]> {
  const flavour = await detectFlavour(client);
  const common = ['name', 'description', 'stage_id', 'team_id', 'user_id', 'partner_id', 'partner_email', 'priority', 'tag_ids', 'create_date'];
  return flavour.helpdesk === 'oca' ? [...common, 'number', 'closed_date'] : [...common, 'ticket_ref', 'close_date', 'sla_deadline'];
}

function toTicket(client: OdooClient, raw: unknown): Ticket {
  const r = ticketRow.parse(raw);
  return {
    id: r.id,
    reference: r.number ?? (r.ticket_ref ? `#${r.ticket_ref}` : `#${r.id}`),
    name: r.name ?? '',
    descriptionHtml: r.description ?? null,
    stage: r.stage_id,
    team: r.team_id,
    assignee: r.user_id,
    customer: r.partner_id,
    customerEmail: r.partner_email ?? null,
    priority: r.priority ?? '0',
    tagIds: r.tag_ids,
    createdAt: r.create_date,
    closedAt: r.close_date ?? r.closed_date ?? null,
    slaDeadline: r.sla_deadline ?? null,
    url: client.recordUrl('helpdesk.ticket', r.id),
  };
}

export async function searchTickets(client: OdooClient, domain: Domain, opts: { limit?: number; order?: string } = {}): Promise<Ticket[]> {
  const rows = await client.searchRead('helpdesk.ticket', domain, {
    fields: await ticketFields(client),
    order: opts.order ?? 'id desc',
    ...(opts.limit ? { limit: opts.limit } : {}),
  });
  return rows.map((r) => toTicket(client, r));
}

export async function readTicket(client: OdooClient, id: number): Promise<Ticket> {
  const [row] = await client.read('helpdesk.ticket', [id], await ticketFields(client));
  if (!row) throw new OdooNotFoundError(`helpdesk.ticket ${id} does not exist`);
  return toTicket(client, row);
}

const messageRow = z.object({
  id: z.number().int(),
  date: odooText,
  author_id: odooMany2one,
  body: odooText,
  message_type: z.string(),
  is_internal: z.boolean().default(false),
  subtype_id: odooMany2one,
  tracking_value_ids: z.array(z.number().int()).default([]),
});

const trackingRow = z
  .object({
    id: z.number().int(),
    field_id: odooMany2one,
    field_info: z.union([z.object({ desc: z.string().optional(), name: z.string().optional() }).passthrough(), z.literal(false), z.null()]).optional(),
    old_value_char: odooText.optional(),
    new_value_char: odooText.optional(),
    old_value_datetime: odooText.optional(),
    new_value_datetime: odooText.optional(),
    old_value_integer: z.number().optional(),
    new_value_integer: z.number().optional(),
    mail_message_id: odooMany2one,
  })
  .passthrough();

/** The ticket's chatter, oldest first, with tracked field changes (stage, assignee, priority …). */
export async function readTicketThread(client: OdooClient, ticketId: number): Promise<ThreadMessage[]> {
  const rows = await client.searchReadAll('mail.message', [['model', '=', 'helpdesk.ticket'], ['res_id', '=', ticketId]], {
    fields: ['date', 'author_id', 'body', 'message_type', 'is_internal', 'subtype_id', 'tracking_value_ids'],
    order: 'date asc, id asc',
  });
  const messages = rows.map((r) => messageRow.parse(r));
  const trackingIds = messages.flatMap((m) => m.tracking_value_ids);
  const tracking = new Map<number, TrackingChange>();
  if (trackingIds.length) {
    const fields = ['field_id', 'field_info', 'old_value_char', 'new_value_char', 'old_value_datetime', 'new_value_datetime', 'old_value_integer', 'new_value_integer', 'mail_message_id'];
    for (const raw of await client.read('mail.tracking.value', trackingIds, fields)) {
      const t = trackingRow.parse(raw);
      const info = t.field_info && typeof t.field_info === 'object' ? t.field_info : null;
      tracking.set(t.id, {
        field: info?.desc ?? t.field_id?.name ?? info?.name ?? 'field',
        from: t.old_value_char ?? t.old_value_datetime ?? String(t.old_value_integer ?? ''),
        to: t.new_value_char ?? t.new_value_datetime ?? String(t.new_value_integer ?? ''),
      });
    }
  }
  return messages.map((m) => ({
    id: m.id,
    date: m.date,
    author: m.author_id,
    bodyHtml: m.body ?? '',
    messageType: m.message_type,
    internal: m.is_internal || m.message_type === 'notification',
    changes: m.tracking_value_ids.map((id) => tracking.get(id)).filter((c): c is TrackingChange => !!c),
  }));
}

export interface NewTicket {
  name: string;
  descriptionHtml: string;
  teamId?: number;
  partnerId?: number;
  partnerName?: string;
  partnerEmail?: string;
  priority?: '0' | '1' | '2' | '3';
  tagIds?: number[];
}

/** Creates a ticket; returns its id. */
export async function createTicket(client: OdooClient, t: NewTicket): Promise<number> {
  const vals: Record<string, unknown> = { name: t.name, description: t.descriptionHtml };
  if (t.teamId) vals['team_id'] = t.teamId;
  if (t.partnerId) vals['partner_id'] = t.partnerId;
  if (t.partnerName) vals['partner_name'] = t.partnerName;
  if (t.partnerEmail) vals['partner_email'] = t.partnerEmail;
  if (t.priority) vals['priority'] = t.priority;
  if (t.tagIds?.length) vals['tag_ids'] = [[6, 0, t.tagIds]];
  const [id] = await client.create('helpdesk.ticket', vals);
  if (id === undefined) throw new OdooNotFoundError('helpdesk.ticket create returned no id');
  return id;
}
