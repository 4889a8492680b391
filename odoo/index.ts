/** The Odoo module's public face: connect, the typed client and errors, flavour detection, Helpdesk helpers. */
export { connectOdoo, detectOdooVersion, OdooClient, orderEndingInId } from './client.js';
export type { Domain, OdooClientOptions, OdooContext, OdooVersion, SearchReadOptions } from './client.js';
export {
  OdooAccessError,
  OdooAuthError,
  OdooError,
  OdooNotFoundError,
  OdooServerError,
  OdooUnreachableError,
  OdooValidationError,
  type OdooErrorKind,
} from './errors.js';
export { detectFlavour, type OdooFlavour } from './flavour.js';
export { createTicket, readTicket, readTicketThread, searchTickets } from './helpdesk.js';
export type { NewTicket, ThreadMessage, Ticket, TrackingChange } from './helpdesk.js';
export { odooIdOrIds, odooMany2one, odooText, type Many2one, type OdooRecord } from './schemas.js';
export type { OdooProtocol } from './transports.js';
