/**
 * The simulator's Python-side exceptions. `name` is the fully qualified class Odoo puts in `error.data.name`; the
 * servers turn these into each protocol's error form (JSON-RPC envelope, XML-RPC fault code, JSON-2 status).
 */
export type OdooExceptionName =
  | 'odoo.exceptions.AccessError'
  | 'odoo.exceptions.AccessDenied'
  | 'odoo.exceptions.UserError'
  | 'odoo.exceptions.ValidationError'
  | 'odoo.exceptions.MissingError'
  | 'builtins.AttributeError'
  | 'builtins.TypeError'
  | 'builtins.ValueError'
  | 'builtins.Exception'
  | 'werkzeug.exceptions.NotFound';

export class OdooException extends Error {
  constructor(
    readonly odooName: OdooExceptionName,
    message: string,
    /** JSON-2 status override (unknown model/method are 404 there). */
    readonly json2Status?: number,
  ) {
    super(message);
  }
}

export const accessError = (msg: string) => new OdooException('odoo.exceptions.AccessError', msg);
export const accessDenied = (msg = 'Access Denied') => new OdooException('odoo.exceptions.AccessDenied', msg);
export const userError = (msg: string) => new OdooException('odoo.exceptions.UserError', msg);
export const validationError = (msg: string) => new OdooException('odoo.exceptions.ValidationError', msg);
export const missingError = (msg: string) => new OdooException('odoo.exceptions.MissingError', msg);
export const valueError = (msg: string) => new OdooException('builtins.ValueError', msg);
export const typeError = (msg: string) => new OdooException('builtins.TypeError', msg);
