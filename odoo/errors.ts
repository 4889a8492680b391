/**
 * Typed Odoo errors. Each of the three protocols reports failures differently (JSON-RPC `error.data.name`, XML-RPC
 * fault codes, JSON-2 HTTP statuses); the transports map them all onto this small set so callers branch on the kind,
 * never on protocol details. Odoo's own message is kept verbatim because it is what a person needs to fix the problem.
 */
export type OdooErrorKind = 'auth' | 'access' | 'not-found' | 'validation' | 'server' | 'unreachable';

export class OdooError extends Error {
  readonly kind: OdooErrorKind;
  /** Odoo's exception class (`odoo.exceptions.AccessError`) or the transport's cause. */
  readonly odooName: string | undefined;
  /** True when the same call may succeed if repeated (timeouts, dropped connections, 429/502/503/504). */
  readonly transient: boolean;
  /** HTTP status when one was seen. */
  readonly status: number | undefined;

  constructor(
    kind: OdooErrorKind,
    message: string,
    opts: { odooName?: string; transient?: boolean; status?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    this.odooName = opts.odooName;
    this.transient = opts.transient ?? false;
    this.status = opts.status;
  }
}

export class OdooAuthError extends OdooError {
  override readonly name = 'OdooAuthError';
  constructor(message: string, opts: { odooName?: string; status?: number; cause?: unknown } = {}) {
    super('auth', message, opts);
  }
}

export class OdooAccessError extends OdooError {
  override readonly name = 'OdooAccessError';
  constructor(message: string, opts: { odooName?: string; status?: number; cause?: unknown } = {}) {
    super('access', message, opts);
  }
}

export class OdooNotFoundError extends OdooError {
  override readonly name = 'OdooNotFoundError';
  constructor(message: string, opts: { odooName?: string; status?: number; cause?: unknown } = {}) {
    super('not-found', message, opts);
  }
}

export class OdooValidationError extends OdooError {
  override readonly name = 'OdooValidationError';
  constructor(message: string, opts: { odooName?: string; status?: number; cause?: unknown } = {}) {
    super('validation', message, opts);
  }
}

export class OdooServerError extends OdooError {
  override readonly name = 'OdooServerError';
  constructor(message: string, opts: { odooName?: string; transient?: boolean; status?: number; cause?: unknown } = {}) {
    super('server', message, opts);
  }
}

export class OdooUnreachableError extends OdooError {
  override readonly name = 'OdooUnreachableError';
  constructor(message: string, opts: { cause?: unknown; status?: number } = {}) {
    super('unreachable', message, { ...opts, transient: true });
  }
}

/** Maps an Odoo exception class name (`odoo.exceptions.AccessError`) to a typed error. */
export function errorFromOdooName(name: string, message: string, status?: number): OdooError {
  const cls = name.split('.').pop() ?? name;
  const opts = { odooName: name, ...(status === undefined ? {} : { status }) };
  switch (cls) {
    case 'AccessDenied':
    case 'SessionExpiredException':
    case 'Unauthorized':
      return new OdooAuthError(message, opts);
    case 'AccessError':
    case 'Forbidden':
      return new OdooAccessError(message, opts);
    case 'MissingError':
    case 'NotFound':
      return new OdooNotFoundError(message, opts);
    case 'UserError':
    case 'ValidationError':
    case 'RedirectWarning':
    case 'UnprocessableEntity':
      // 17's execute_cr reports an unknown model as a UserError "Object x doesn't exist".
      if (/^Object .* doesn't exist/.test(message)) return new OdooNotFoundError(message, opts);
      return new OdooValidationError(message, opts);
    case 'LockError':
    case 'ConcurrencyError':
      return new OdooServerError(message, { ...opts, transient: true });
    default:
      return new OdooServerError(message, opts);
  }
}
