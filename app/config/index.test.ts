import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.SOP_DATA_DIR).toBe('./.sop-assistant');
    expect(config.PORT).toBe(3978);
    expect(config.EMBEDDINGS_PROVIDER).toBe('local');
    expect(config.MAX_FILE_MB).toBe(50);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '  ', ODOO_URL: '' });
    expect(config.PORT).toBe(3978);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('coerces numbers', () => {
    expect(loadConfig({ PORT: '8080', MAX_FILE_MB: '5' })).toMatchObject({ PORT: 8080, MAX_FILE_MB: 5 });
  });

  it('names the variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ EMBEDDINGS_PROVIDER: 'magic' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('EMBEDDINGS_PROVIDER');
    expect((error as ConfigError).message).toMatch(/EMBEDDINGS_PROVIDER/);
    expect((error as ConfigError).message).toMatch(/local/);
    expect((error as ConfigError).message).toMatch(/"magic"/);
  });

  it('hides secret values in the message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@host/db' })).toThrow(
      /DATABASE_URL.*value hidden/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@host/db' })).not.toThrow(/secret@/);
  });

  it('rejects a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it("bounds the embedded database's buffer pool by what PGlite can address", () => {
    expect(loadConfig({ PGLITE_SHARED_BUFFERS_MB: '512' }).PGLITE_SHARED_BUFFERS_MB).toBe(512);
    expect(loadConfig({}).PGLITE_SHARED_BUFFERS_MB).toBeUndefined();
    expect(() => loadConfig({ PGLITE_SHARED_BUFFERS_MB: '4096' })).toThrow(/PGLITE_SHARED_BUFFERS_MB.*2048/);
  });
});
