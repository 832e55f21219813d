import { join, resolve } from 'node:path';
import type { Config } from '../config';

/**
 * Where `npm run dev` keeps a sandbox's state across restarts, beside PostgreSQL's data and
 * Temporal's file: DATA_DIR/sandboxes/<name>.json.
 */
export function sandboxStateFile(config: Config, name: string): string {
  return join(resolve(config.DATA_DIR), 'sandboxes', `${name}.json`);
}
