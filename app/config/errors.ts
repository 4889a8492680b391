/** A configuration value is missing or malformed; `variable` names it and the message says what it expects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string | undefined;

  constructor(message: string, variable?: string) {
    super(message);
    this.variable = variable;
  }
}
