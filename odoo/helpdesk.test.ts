import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOdoo, type OdooClient } from './client.js';
import { detectFlavour } from './flavour.js';
import { createTicket, readTicket, readTicketThread, searchTickets } from './helpdesk.js';
import { startSimulator, type RunningSimulator } from './simulator/index.js';

describe.each([17, 19] as const)('Helpdesk helpers on Odoo %s', (version) => {
  let sim: RunningSimulator;
  let agent: OdooClient;
  beforeAll(async () => {
    sim = await startSimulator({ version, seed: { secrets: 'fixed' } });
    const u = sim.seed.users.find((x) => x.roles.includes('service-desk-agent'))!;
    agent = await connectOdoo({ url: sim.url, db: sim.db, login: u.login, apiKey: u.api_key });
  });
  afterAll(() => sim?.stop());

  it('reads go-live tickets with their chatter, notes and stage changes', async () => {
    const tickets = await searchTickets(agent, [['priority', '=', '3']], { order: 'id asc' });
    expect(tickets.length).toBeGreaterThan(3);
    const t = tickets[0]!;
    expect(t.reference).toMatch(/^#\d+$/);
    expect(t.stage?.name).toBeTruthy();
    const thread = await readTicketThread(agent, t.id);
    expect(thread[0]!.messageType).toBe('email');
    expect(thread[0]!.internal).toBe(false);
    expect(thread.some((m) => m.messageType === 'comment' && m.internal)).toBe(true);
    const stageChanges = thread.flatMap((m) => m.changes).filter((c) => c.field === 'Stage');
    expect(stageChanges[0]).toEqual({ field: 'Stage', from: 'New', to: 'In Progress' });
  });

  it('files a ticket that lands in the team’s first stage with an SLA deadline', async () => {
    const [team] = await agent.searchRead('helpdesk.team', [['name', '=', 'Go-Live Hypercare']], { fields: ['id'] });
    const id = await createTicket(agent, { name: 'Scanner offline on Ward 7B', descriptionHtml: '<p>Barcode scanner will not pair.</p>', teamId: team!.id, partnerEmail: 'nurse.lee@st-aldhelms.example', partnerName: 'Nurse Lee', priority: '2' });
    const t = await readTicket(agent, id);
    expect(t).toMatchObject({ name: 'Scanner offline on Ward 7B', priority: '2', customerEmail: 'nurse.lee@st-aldhelms.example' });
    expect(t.stage?.name).toBe('New');
    expect(t.slaDeadline).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(t.customer?.name).toBe('Nurse Lee');
  });
});

describe('Helpdesk helpers on OCA helpdesk_mgmt', () => {
  it('detects the OCA flavour and uses its fields', async () => {
    const sim = await startSimulator({ version: 17, seed: { secrets: 'fixed', helpdesk: 'oca' } });
    try {
      const admin = await connectOdoo({ url: sim.url, db: sim.db, login: 'admin', apiKey: sim.seed.admin.api_key });
      expect((await detectFlavour(admin)).helpdesk).toBe('oca');
      const tickets = await searchTickets(admin, [], { order: 'id asc' });
      expect(tickets).toHaveLength(5);
      expect(tickets[0]!.reference).toBe('HT00001');
      expect(tickets[0]!.stage?.name).toBe('In Progress');
      const id = await createTicket(admin, { name: 'Label printer jammed', descriptionHtml: '<p>Ward 3 label printer.</p>', priority: '1' });
      const t = await readTicket(admin, id);
      expect(t).toMatchObject({ reference: 'HT00006', name: 'Label printer jammed', slaDeadline: null, closedAt: null });
      await admin.write('helpdesk.ticket', [id], { stage_id: (await admin.search('helpdesk.ticket.stage', [['closed', '=', true]]))[0]! });
      expect((await readTicket(admin, id)).closedAt).toMatch(/^\d{4}-/);
    } finally {
      await sim.stop();
    }
  });
});
