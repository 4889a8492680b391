/** What every source (folder, Odoo Documents) yields: one document with its bytes or text, version and ACL. */
export interface SourceDocument {
  /** Stable id inside the source: folder-relative path, or the Odoo record id. */
  externalId: string;
  /** Citation source: folder-relative path (`Inventory/receipts.md`) or `odoo:documents.document/<id>`. */
  path: string;
  title?: string;
  /** MIME type when the source knows it; parsers also sniff the bytes. */
  mimetype?: string;
  bytes?: Uint8Array;
  /** Already-extracted text (for example an Odoo url-type document indexed by its title and link). */
  text?: string;
  /** Changes whenever the content changes: checksum for folders, write_date for Odoo. */
  version: string;
  /** Principals allowed to read (`role:…`, `odoo-group:…`, `internal`, `public`). Empty = nobody (default-deny). */
  acl: string[];
  url?: string | null;
}

export interface Source {
  /** `folder` or `odoo`; stored on each document so two sources never collide. */
  readonly name: string;
  documents(): AsyncIterable<SourceDocument>;
}
