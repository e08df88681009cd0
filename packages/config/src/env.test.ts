import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ENV_VARS, loadEnv, redactUrl } from './env.js';

describe('loadEnv', () => {
  it('applies defaults and coerces numbers', () => {
    const cfg = loadEnv('api', { DATABASE_URL: 'postgres://u@localhost:5432/db' });
    expect(cfg.API_PORT).toBe(3000);
    expect(cfg.REDIS_URL).toBeUndefined();
    expect(cfg.QUEUE_PREFIX).toBe('plumbline');
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('reports every problem at once, naming each variable', () => {
    try {
      loadEnv('api', { API_PORT: 'http', REDIS_URL: 'http://x' });
      throw new Error('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL is required/);
      expect(problems).toMatch(/API_PORT/);
      expect(problems).toMatch(/REDIS_URL must be a redis: or rediss: URL/);
    }
  });

  it('never echoes secret values', () => {
    try {
      loadEnv('api', { DATABASE_URL: 'mysql://user:hunter2@db/x' });
      throw new Error('expected ConfigError');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('only validates the variables an app uses', () => {
    const cfg = loadEnv('migrate', { DATABASE_URL: 'postgresql://localhost/db', API_PORT: 'x' });
    expect(cfg).not.toHaveProperty('API_PORT');
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://u:secret@h:5432/d')).toBe('postgres://u:***@h:5432/d');
  });

  it('documents every variable in docs/ARCHITECTURE.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/ARCHITECTURE.md'), 'utf8');
    const missing = Object.keys(ENV_VARS).filter((name) => !doc.includes(`| \`${name}\``));
    expect(missing).toEqual([]);
  });
});
